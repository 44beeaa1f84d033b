package dev.junction.testing;

/** Request bodies used across tests. */
public final class Chat {

    private Chat() {
    }

    public static String body(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}]}";
    }
}
