package dev.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.config.AdminConfig;
import dev.junction.core.Clock;
import dev.junction.store.Database;
import dev.junction.store.Secrets;
import dev.junction.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** {@code docs/openapi.yaml} describes exactly the admin API's routes, and the gateway serves each. */
class OpenApiTest {

    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static Set<String> documented() throws Exception {
        Map<String, Object> spec = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("docs/openapi.yaml")));
        Set<String> routes = new TreeSet<>();
        ((Map<String, Map<String, Object>>) spec.get("paths")).forEach((path, item) -> item.keySet().stream()
                .filter(METHODS::contains).forEach(method -> routes.add(method.toUpperCase() + " " + path)));
        return routes;
    }

    @Test
    void theFileAndTheRouterListTheSameRoutes() throws Exception {
        Set<String> served = new TreeSet<>();
        try (Database db = Database.open("sqlite:" + dir.resolve("routes.db"))) {
            AdminApi.create(db, Secrets.of(new byte[32]), AdminConfig.DEFAULT, Clock.system()).routes()
                    .forEach(r -> served.add(r.method() + " " + r.template()));
        }
        assertThat(documented()).isEqualTo(served);
    }

    @Test
    void theRunningGatewayServesEveryDocumentedRoute() throws Exception {
        try (TestGateway gateway = TestGateway.start(dir, "")) {
            for (String route : documented()) {
                String method = route.substring(0, route.indexOf(' '));
                String path = route.substring(route.indexOf(' ') + 1).replaceAll("\\{[a-z_]+}", "1");
                AdminClient.Response response = new AdminClient(gateway.baseUrl()).send(method, path,
                        method.equals("GET") || method.equals("DELETE") || method.equals("PUT") ? null : "{}");
                assertThat(response.status()).as(route).isNotIn(404, 405);
                assertThat(response.json().isObject() || response.status() == 204).as(route).isTrue();
            }
        }
    }
}
