package dev.reclaimlab.nightly;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook that hears about regressions: a JSON POST, signed with HMAC-SHA256 over the body when a secret is set
 * ({@code X-Lab-Signature-256: sha256=HEX}, as GitHub signs its hooks), retried with doubling waits after a failed
 * connection, a 5xx or a 429. Any other answer is final: a 4xx will not change by asking again.
 */
public final class Webhook {
    public static final String SIGNATURE_HEADER = "X-Lab-Signature-256";
    public static final String EVENT_HEADER = "X-Lab-Event";

    private final URI target;
    private final byte[] secret;
    private final int attempts;
    private final Duration firstWait;
    private final HttpClient client;

    /**
     * @param secret    the HMAC key; null sends unsigned
     * @param attempts  tries in all, at least 1
     * @param firstWait the wait after the first failure; each next one is twice the last
     */
    public Webhook(URI target, byte[] secret, int attempts, Duration firstWait) {
        this.target = target;
        this.secret = secret == null ? null : secret.clone();
        this.attempts = Math.max(1, attempts);
        this.firstWait = firstWait;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * @param status   the last answer's HTTP status; null when none came
     * @param error    why it was not delivered; null when it was
     */
    public record Delivery(Integer status, int attempts, String error) {
        public boolean delivered() {
            return error == null;
        }
    }

    public URI target() {
        return target;
    }

    public Delivery send(String event, String json) throws InterruptedException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header(EVENT_HEADER, event)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (secret != null) {
            request.header(SIGNATURE_HEADER, "sha256=" + sign(secret, body));
        }
        Duration wait = firstWait;
        Integer status = null;
        String error = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return new Delivery(status, attempt, null);
                }
                error = "HTTP " + status + (response.body().isBlank() ? "" : ": " + abbreviate(response.body()));
                if (status < 500 && status != 429) {
                    return new Delivery(status, attempt, error);
                }
            } catch (IOException e) {
                status = null;
                error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            if (attempt < attempts) {
                Thread.sleep(wait.toMillis());
                wait = wait.multipliedBy(2);
            }
        }
        return new Delivery(status, attempts, error + " (after " + attempts + " attempts)");
    }

    /** Lower-case hex HMAC-SHA256 of {@code body} under {@code key}: what a receiver recomputes to trust a message. */
    public static String sign(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every Java has HmacSHA256", e);
        }
    }

    private static String abbreviate(String s) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }
}
