package dev.junction.ingress;

import dev.junction.http.Endpoint;
import dev.junction.http.Exchange;
import dev.junction.ingress.Admission.Recording;
import dev.junction.protocol.MultipartUpload;
import dev.junction.protocol.openai.MediaClientRequest;
import dev.junction.protocol.openai.MediaEndpoint;
import dev.junction.relay.Codecs;
import dev.junction.relay.Relay;
import java.nio.file.Path;

/**
 * An OpenAI endpoint whose body is a {@code multipart/form-data} upload (image edits and variations,
 * transcriptions, translations). After the key is checked, the body streams to a temporary file
 * under {@code max_body_size} (never held in memory) and is read for its model; the relay sends it
 * from there, to the next channel too if the first fails; the file is deleted when the request ends,
 * however it ends.
 */
final class UploadEndpoint implements Endpoint {

    private final Admission admission;
    private final Relay relay;
    private final MediaEndpoint endpoint;
    private final Path spool;

    UploadEndpoint(Admission admission, Relay relay, MediaEndpoint endpoint, Path spool) {
        this.admission = admission;
        this.relay = relay;
        this.endpoint = endpoint;
        this.spool = spool;
    }

    @Override
    public void handle(Exchange exchange) throws Exception {
        admission.serve(exchange, ErrorShape.OPENAI, Recording.RECORDED, (checked, ticket) -> {
            MediaClientRequest[] read = new MediaClientRequest[1];
            try {
                MediaClientRequest request = ticket.admit(e -> {
                    String type = e.header("Content-Type").orElse(null);
                    MultipartUpload.boundary(type); // a 400 before any of the body is read
                    return read[0] = MediaClientRequest.upload(endpoint, MultipartUpload.read(type, e.bodyStream(),
                            spool), Codecs::of);
                }, Subject::of);
                ticket.relayed(relay.relay(request, checked.downstream()));
            } finally {
                if (read[0] != null) {
                    read[0].close();
                }
            }
        });
    }
}
