package dev.junction.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A {@code multipart/form-data} body built by hand, as a client library would send it. */
public final class Multipart {

    private final String boundary;
    private final List<byte[]> pieces = new ArrayList<>();

    public Multipart(String boundary) {
        this.boundary = boundary;
    }

    public Multipart() {
        this("----JunctionTestBoundary7MA4YWxkTrZu0gW");
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    public Multipart field(String name, String value) {
        pieces.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                + "\r\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public Multipart file(String name, String filename, String type, byte[] content) {
        pieces.add(head(name, filename, type));
        pieces.add(content);
        pieces.add("\r\n".getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** The headers of a file part; its content and a CRLF follow. */
    public byte[] head(String name, String filename, String type) {
        return ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The closing delimiter. */
    public byte[] end() {
        return ("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    }

    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pieces.forEach(out::writeBytes);
        out.writeBytes(end());
        return out.toByteArray();
    }
}
