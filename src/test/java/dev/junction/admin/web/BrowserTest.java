package dev.junction.admin.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.MutableClock;
import dev.junction.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the dashboard in real headless Chromium (Debian's {@code /usr/bin/chromium}, which
 * {@code .ci/run} installs; Playwright downloads no browser) against a real gateway with a fake
 * OpenAI provider behind one channel. Every test saves screenshots under
 * {@code target/screenshots/<class>/} and fails on any browser console error, which is where a
 * Content-Security-Policy violation shows.
 */
abstract class BrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final String OWNER_PASSWORD = "owner-password-1";
    static final String PASSWORD = "member-password-1";

    private static Playwright playwright;
    static Browser browser;

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock();
    FakeOpenAi fake;
    TestGateway gateway;
    BrowserContext context;
    Page page;
    final List<String> consoleErrors = new CopyOnWriteArrayList<>();
    private String testName;
    private int shots;

    @BeforeAll
    static void launch() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "chromium is not installed here (Debian package "
                + "'chromium'; .ci/run installs it), so the browser tests cannot run");
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
                .setHeadless(true).setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage")));
    }

    @AfterAll
    static void quit() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    /** The YAML the gateway starts with (channels; the test key is added). */
    String yaml() {
        return "channels:\n" + TestGateway.channel("fake-openai", fake, "[gpt-4o-mini]", "");
    }

    @BeforeEach
    void start(TestInfo info) throws Exception {
        testName = info.getTestMethod().orElseThrow().getName();
        fake = FakeOpenAi.start();
        gateway = TestGateway.start(dir, yaml(), clock);
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 860));
        page = newPage(context);
    }

    Page newPage(BrowserContext in) {
        Page p = in.newPage();
        p.setDefaultTimeout(15_000);
        p.onConsoleMessage(m -> {
            // A 4xx page (a form's errors, a refusal) is logged as a failed load; it is no script error.
            if (m.type().equals("error") && !m.text().startsWith("Failed to load resource: the server responded")) {
                consoleErrors.add(m.text());
            }
        });
        p.onPageError(e -> consoleErrors.add("page error: " + e));
        return p;
    }

    @AfterEach
    void stop() throws Exception {
        if (page != null && !page.isClosed()) {
            shot("end");
        }
        if (context != null) {
            context.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (fake != null) {
            fake.close();
        }
        assertThat(consoleErrors).as("browser console errors (a CSP violation shows here)").isEmpty();
    }

    String url(String path) {
        return gateway.baseUrl() + path;
    }

    /** Saves a screenshot of the whole page as target/screenshots/<class>/<test>-<n>-<name>.png. */
    Path shot(Page p, String name) {
        Path file = Path.of("target", "screenshots", getClass().getSimpleName(),
                testName + "-" + (++shots) + "-" + name + ".png");
        p.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
        return file;
    }

    Path shot(String name) {
        return shot(page, name);
    }

    /** First-run set-up through the page: the owner {@code root}, signed in. */
    void setUpOwner() {
        page.navigate(url("/"));
        page.waitForURL("**/setup");
        page.getByLabel("Name").fill("root");
        page.getByLabel("Password (at least 8 characters)").fill(OWNER_PASSWORD);
        page.getByLabel("Password again").fill(OWNER_PASSWORD);
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Create the owner and sign in")).click();
        page.waitForURL(url("/"));
    }

    /** Signs {@code p} in as {@code name}. */
    void signIn(Page p, String name, String password) {
        p.navigate(url("/login"));
        p.getByLabel("Name or email").fill(name);
        p.getByLabel("Password").fill(password);
        p.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Sign in")).click();
        p.waitForURL(u -> !u.contains("/login"));
    }
}
