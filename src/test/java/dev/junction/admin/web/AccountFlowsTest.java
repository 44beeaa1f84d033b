package dev.junction.admin.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** First run, sign-in and sign-out, users and teams, audit log, admin tokens, a member's view. */
class AccountFlowsTest extends BrowserTest {

    private static Page.GetByRoleOptions named(String name) {
        return new Page.GetByRoleOptions().setName(name).setExact(true);
    }

    @Test
    void firstRunCreatesTheOwnerShowsErrorsByTheFieldAndSignsInAndOut() {
        page.navigate(url("/users"));
        page.waitForURL("**/setup");
        shot("setup");
        page.getByLabel("Name").fill("root");
        page.getByLabel("Password (at least 8 characters)").fill("short");
        page.getByLabel("Password again").fill("different");
        page.getByRole(AriaRole.BUTTON, named("Create the owner and sign in")).click();
        assertThat(page.locator("#f-confirm-error")).hasText("The two passwords differ.");
        assertThat(page.getByLabel("Password again")).hasAttribute("aria-invalid", "true");
        assertThat(page.getByLabel("Name")).hasValue("root");

        page.getByLabel("Password (at least 8 characters)").fill("short");
        page.getByLabel("Password again").fill("short");
        page.getByRole(AriaRole.BUTTON, named("Create the owner and sign in")).click();
        assertThat(page.locator("#f-password-error")).containsText("at least 8 characters");
        shot("setup-error");

        page.getByLabel("Password (at least 8 characters)").fill(OWNER_PASSWORD);
        page.getByLabel("Password again").fill(OWNER_PASSWORD);
        page.getByRole(AriaRole.BUTTON, named("Create the owner and sign in")).click();
        page.waitForURL(url("/"));
        assertThat(page.locator("h1")).hasText("Overview");
        assertThat(page.locator(".top .user")).containsText("root");
        shot("overview");

        page.navigate(url("/setup"));
        page.waitForURL(url("/"));
        page.getByRole(AriaRole.BUTTON, named("Sign out")).click();
        page.waitForURL("**/login");
        page.navigate(url("/settings"));
        page.waitForURL(u -> u.endsWith("/login?next=%2Fsettings"));
        page.getByLabel("Name or email").fill("root");
        page.getByLabel("Password").fill("wrong-password-here");
        page.getByRole(AriaRole.BUTTON, named("Sign in")).click();
        assertThat(page.locator(".alert")).hasText("The name or password is wrong.");
        shot("login-error");
        page.getByLabel("Password").fill(OWNER_PASSWORD);
        page.getByRole(AriaRole.BUTTON, named("Sign in")).click();
        page.waitForURL(url("/settings"));
        assertThat(page.locator("h1")).hasText("Settings");
    }

    @Test
    void theOwnerManagesUsersAndTeamsWithConfirmationsAndTheAuditLogShowsIt() {
        setUpOwner();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Users & teams")).first().click();
        page.waitForURL(url("/users"));
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("root");
        page.getByLabel("Password (at least 8 characters)").fill(PASSWORD);
        page.getByRole(AriaRole.BUTTON, named("Add user")).click();
        assertThat(page.locator("#f-name-error")).containsText("belongs to another user");
        shot("duplicate-name");
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("mia");
        page.getByLabel("Email (optional)").fill("mia@example.com");
        page.getByLabel("Password (at least 8 characters)").fill(PASSWORD);
        page.getByLabel("Role").selectOption("member");
        page.getByRole(AriaRole.BUTTON, named("Add user")).click();
        page.waitForURL(u -> u.contains("done=user-created"));
        assertThat(page.locator(".notice")).hasText("User created.");
        assertThat(page.locator("table").first()).containsText("mia@example.com");

        page.getByLabel("New team's name").fill("research");
        page.getByRole(AriaRole.BUTTON, named("Add team")).click();
        page.waitForURL(u -> u.contains("done=team-created"));
        page.getByLabel("Add a member").selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("mia"));
        page.getByRole(AriaRole.BUTTON, named("Add to team")).click();
        assertThat(page.locator("ul.members")).containsText("mia");
        shot("team");

        AtomicInteger dialogs = new AtomicInteger();
        page.onceDialog(d -> {
            dialogs.incrementAndGet();
            d.dismiss();
        });
        page.getByRole(AriaRole.BUTTON, named("Remove")).click();
        assertThat(page.locator("ul.members")).containsText("mia");
        assertThat(dialogs).hasValue(1);
        page.onceDialog(d -> d.accept());
        page.getByRole(AriaRole.BUTTON, named("Remove")).click();
        page.waitForURL(u -> u.contains("done=member-removed"));
        assertThat(page.locator("ul.members")).not().containsText("mia");

        page.navigate(url("/users"));
        page.getByRole(AriaRole.LINK, named("mia")).click();
        page.getByLabel("Role").selectOption("viewer");
        page.getByRole(AriaRole.BUTTON, named("Save")).click();
        page.waitForURL(u -> u.contains("done=user-saved"));
        assertThat(page.getByLabel("Role")).hasValue("viewer");
        page.onceDialog(d -> d.accept());
        page.getByRole(AriaRole.BUTTON, named("Delete user")).click();
        page.waitForURL(u -> u.contains("done=user-deleted"));
        assertThat(page.locator("table").first()).not().containsText("mia@example.com");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Audit log")).first().click();
        assertThat(page.locator("table.audit")).containsText("user.delete");
        assertThat(page.locator("table.audit")).containsText("team.member.remove");
        assertThat(page.locator("table.audit")).containsText("user root");
        shot("audit");
    }

    @Test
    void anAdminTokenIsShownOnceWorksAndIsRevokedAfterConfirming() throws Exception {
        setUpOwner();
        page.navigate(url("/settings"));
        page.getByLabel("New token's name").fill("ci");
        page.getByRole(AriaRole.BUTTON, named("Create token")).click();
        String token = page.locator("#new-token").textContent().strip();
        assertThat(token).startsWith("jat-");
        assertThat(page.getByRole(AriaRole.BUTTON, named("Copy")).first()).isVisible();
        shot("token-created");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> me = http.send(HttpRequest.newBuilder(URI.create(url("/api/me")))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(me.statusCode()).isEqualTo(200);

        page.navigate(url("/settings"));
        assertThat(page.locator("body")).not().containsText(token);
        page.onceDialog(d -> d.accept());
        page.getByRole(AriaRole.BUTTON, named("Revoke")).click();
        page.waitForURL(u -> u.contains("done=revoked"));
        assertThat(page.locator("table").first()).containsText("revoked");
        HttpResponse<String> after = http.send(HttpRequest.newBuilder(URI.create(url("/api/me")))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(after.statusCode()).isEqualTo(401);
    }

    @Test
    void aMemberSeesOnlyWhatTheirRoleAllows() {
        setUpOwner();
        page.navigate(url("/users"));
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("mia");
        page.getByLabel("Password (at least 8 characters)").fill(PASSWORD);
        page.getByLabel("Role").selectOption("member");
        page.getByRole(AriaRole.BUTTON, named("Add user")).click();
        page.waitForURL(u -> u.contains("done=user-created"));

        BrowserContext memberContext = browser.newContext();
        try {
            Page member = newPage(memberContext);
            signIn(member, "mia", PASSWORD);
            assertThat(member.locator("nav.side")).not().containsText("Users & teams");
            assertThat(member.locator("nav.side")).not().containsText("Audit log");
            assertThat(member.locator("nav.side")).containsText("Settings");
            shot(member, "member-overview");
            member.navigate(url("/users"));
            assertThat(member.locator("h1")).hasText("Not allowed");
            assertThat(member.locator(".alert")).containsText("member");
            member.navigate(url("/audit"));
            assertThat(member.locator("h1")).hasText("Not allowed");
            member.navigate(url("/settings"));
            member.getByLabel("New token's name").fill("mine");
            member.getByRole(AriaRole.BUTTON, named("Create token")).click();
            assertThat(member.locator("#new-token")).containsText("jat-");
        } finally {
            memberContext.close();
        }
    }

    @Test
    void onAPhoneTheMenuOpensAndNothingScrollsSideways() {
        setUpOwner();
        BrowserContext phone = browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setViewportSize(390, 844).setIsMobile(true).setHasTouch(true).setDeviceScaleFactor(2));
        try {
            Page p = newPage(phone);
            signIn(p, "root", OWNER_PASSWORD);
            for (String path : new String[] {"/", "/users", "/audit", "/settings", "/channels", "/keys"}) {
                p.navigate(url(path));
                Object width = p.evaluate("document.documentElement.scrollWidth");
                assertThat(((Number) width).intValue()).as("page width of %s on a 390 px phone", path)
                        .isLessThanOrEqualTo(390);
            }
            assertThat(p.locator("nav.side")).isHidden();
            p.getByText("Menu").click();
            assertThat(p.locator(".menu nav")).isVisible();
            shot(p, "phone-menu");
            p.locator(".menu nav").getByText("Users & teams").click();
            p.waitForURL(url("/users"));
            shot(p, "phone-users");
        } finally {
            phone.close();
        }
    }

    @Test
    void theKeyboardReachesTheSkipLinkAndEveryControlHasALabel() {
        setUpOwner();
        page.navigate(url("/users"));
        page.keyboard().press("Tab");
        assertThat(page.locator("a.skip")).isFocused();
        page.keyboard().press("Enter");
        assertThat(page.locator("#main")).isFocused();
        Object unlabelled = page.evaluate("""
                [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).length""");
        assertThat(((Number) unlabelled).intValue()).isZero();
    }

    /** The relative luminance (0 black … 1 white) of a CSS {@code rgb(…)} colour. */
    private static double luminance(String rgb) {
        String[] parts = rgb.replaceAll("[^0-9.,]", "").split(",");
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = Double.parseDouble(parts[i]) / 255;
            c[i] = v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    @Test
    void inDarkModeEveryPageIsDarkWithReadableText() {
        setUpOwner();
        for (var scheme : new com.microsoft.playwright.options.ColorScheme[] {
                com.microsoft.playwright.options.ColorScheme.DARK, com.microsoft.playwright.options.ColorScheme.LIGHT}) {
            BrowserContext context = browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                    .setColorScheme(scheme));
            try {
                Page p = newPage(context);
                signIn(p, "root", OWNER_PASSWORD);
                for (String path : new String[] {"/", "/channels", "/keys", "/logs", "/routing", "/users", "/settings"}) {
                    p.navigate(url(path));
                    double background = luminance((String) p.evaluate("getComputedStyle(document.body).backgroundColor"));
                    double text = luminance((String) p.evaluate("getComputedStyle(document.querySelector('main h1'))"
                            + ".color"));
                    double contrast = (Math.max(background, text) + 0.05) / (Math.min(background, text) + 0.05);
                    assertThat(contrast).as("contrast of %s's heading in %s mode", path, scheme).isGreaterThan(4.5);
                    if (scheme == com.microsoft.playwright.options.ColorScheme.DARK) {
                        assertThat(background).as("%s's background in dark mode", path).isLessThan(0.1);
                        assertThat(text).as("%s's text in dark mode", path).isGreaterThan(0.5);
                    } else {
                        assertThat(background).as("%s's background in light mode", path).isGreaterThan(0.8);
                    }
                }
                shot(p, "settings-" + scheme.name().toLowerCase(java.util.Locale.ROOT));
                p.navigate(url("/channels"));
                shot(p, "channels-" + scheme.name().toLowerCase(java.util.Locale.ROOT));
            } finally {
                context.close();
            }
        }
    }
}
