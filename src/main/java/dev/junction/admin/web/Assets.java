package dev.junction.admin.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's static files, read once from the class path: its own stylesheet, script and icon,
 * and htmx and Chart.js from their WebJars. Their URLs carry a hash of the content, so browsers may
 * keep them for a year and still get a new version at once.
 */
final class Assets {

    static final String PREFIX = "/assets/";

    /** A file: its bytes, content type and content hash. */
    record Asset(byte[] bytes, String contentType, String hash) {
    }

    private static final Map<String, Asset> FILES = load(Map.of(
            "app.css", "dashboard/app.css",
            "app.js", "dashboard/app.js",
            "icon.svg", "dashboard/icon.svg",
            "htmx.min.js", "META-INF/resources/webjars/htmx.org/2.0.10/dist/htmx.min.js",
            "chart.umd.min.js", "META-INF/resources/webjars/chart.js/4.5.1/dist/chart.umd.min.js"));

    private Assets() {
    }

    private static Map<String, Asset> load(Map<String, String> resources) {
        Map<String, Asset> files = new LinkedHashMap<>();
        resources.forEach((name, resource) -> {
            try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("the dashboard asset " + resource + " is not on the class path");
                }
                byte[] bytes = in.readAllBytes();
                String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 6);
                files.put(name, new Asset(bytes, type(name), hash));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
        return Map.copyOf(files);
    }

    private static String type(String name) {
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        return "image/svg+xml";
    }

    /** The URL of an asset, with its content hash. */
    static String url(String name) {
        Asset asset = FILES.get(name);
        if (asset == null) {
            throw new IllegalArgumentException("no dashboard asset " + name);
        }
        return PREFIX + name + "?v=" + asset.hash();
    }

    /** The asset a path under {@link #PREFIX} names. */
    static Optional<Asset> find(String path) {
        return path.startsWith(PREFIX) ? Optional.ofNullable(FILES.get(path.substring(PREFIX.length())))
                : Optional.empty();
    }
}
