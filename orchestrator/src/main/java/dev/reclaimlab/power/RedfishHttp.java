package dev.reclaimlab.power;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP to one BMC: authentication, JSON in and out, and one-line errors. Every error message starts with
 * {@code BMC <url>:} so the user knows which machine said it.
 *
 * <p>Opening it logs in (for {@link AuthMode#SESSION}); closing it deletes the session, so each operation of
 * {@link RedfishPower} leaves the BMC's small session table as it found it.
 */
final class RedfishHttp implements AutoCloseable {
    static final String SESSIONS = "/redfish/v1/SessionService/Sessions";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedfishTarget target;
    private final HttpClient client;
    private String authHeader;
    private String authValue;
    private Optional<String> sessionPath = Optional.empty();

    private RedfishHttp(RedfishTarget target, HttpClient client) {
        this.target = target;
        this.client = client;
    }

    /** Connects lazily; for a session, logs in now (a refused login is a {@link CredentialsRefusedException}). */
    static RedfishHttp open(RedfishTarget target, HttpClient client) throws IOException {
        RedfishHttp http = new RedfishHttp(target, client);
        Credentials c = target.credentials();
        if (target.auth() == AuthMode.BASIC) {
            http.authHeader = "Authorization";
            http.authValue = "Basic " + Base64.getEncoder().encodeToString(
                    (c.user() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
        } else {
            http.login();
        }
        return http;
    }

    static HttpClient client(RedfishTarget target) {
        return HttpClient.newBuilder()
                .connectTimeout(target.timing().connect())
                .sslContext(TlsContexts.forTrust(target.tls()))
                // a redirect could carry the credentials to another host; BMCs do not need one
                .followRedirects(HttpClient.Redirect.NEVER)
                // HTTP/1.1 only: BMC web servers are small, and an h2c upgrade attempt confuses some
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    Timing timing() {
        return target.timing();
    }

    String url() {
        return target.baseUrl().toString();
    }

    /** {@code BMC https://bmc:443: <what>} — the prefix of every error. */
    String fail(String what) {
        return "BMC " + url() + ": " + what;
    }

    RedfishResponse get(String path) throws IOException {
        return send("GET", path, null);
    }

    RedfishResponse post(String path, Map<String, String> body) throws IOException {
        return send("POST", path, body);
    }

    /** GET that must succeed: any other answer is an error naming {@code what}. */
    JsonNode read(String path, String what) throws IOException {
        RedfishResponse r = get(path);
        if (!r.ok()) {
            throw new IOException(fail("reading " + what + " (" + path + ") failed: " + r.reason()));
        }
        return r.body();
    }

    /**
     * Any method; 401/403 become a {@link CredentialsRefusedException}, other statuses are the caller's to judge.
     *
     * @param path a Redfish path, or an absolute URL from a header or body: only its path and query are used, so
     *             nothing (least of all a password) is sent to another host, and a BMC behind a port-forward that
     *             names its own inside address still works
     */
    RedfishResponse send(String method, String path, Map<String, String> body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(path))
                .timeout(target.timing().request())
                .header("Accept", "application/json")
                .header("OData-Version", "4.0");
        if (authHeader != null) {
            request.header(authHeader, authValue);
        }
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(fail("interrupted during " + method + " " + path));
        } catch (IOException e) {
            throw new IOException(fail(method + " " + path + " failed: " + Failures.describe(e)), e);
        }
        RedfishResponse r = new RedfishResponse(response.statusCode(),
                response.headers().firstValue("Location"), response.headers().firstValue("X-Auth-Token"),
                parse(response.body()));
        if (r.status() == 401 || r.status() == 403) {
            throw new CredentialsRefusedException(fail("refused the credentials for user "
                    + target.credentials().user() + " (" + r.reason() + " on " + method + " " + path + ")"));
        }
        return r;
    }

    private URI resolve(String path) throws IOException {
        URI given;
        try {
            given = URI.create(path);
        } catch (IllegalArgumentException e) {
            throw new IOException(fail("the BMC named an invalid URL \"" + RedfishMessages.oneLine(path) + "\""));
        }
        String local = given.getRawPath() == null || given.getRawPath().isEmpty() ? "/" : given.getRawPath();
        if (!local.startsWith("/")) {
            local = "/" + local;
        }
        String query = given.getRawQuery() == null ? "" : "?" + given.getRawQuery();
        return URI.create(target.baseUrl() + local + query);
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private void login() throws IOException {
        Credentials c = target.credentials();
        RedfishResponse r = post(SESSIONS, Map.of("UserName", c.user(), "Password", c.password()));
        if (!r.ok()) {
            throw new IOException(fail("creating a session for user " + c.user() + " failed: " + r.reason()));
        }
        String token = r.authToken().orElseThrow(() -> new IOException(
                fail("the BMC created a session for user " + c.user() + " but sent no X-Auth-Token")));
        authHeader = "X-Auth-Token";
        authValue = token;
        // Location is the session to delete; some BMCs only name it in the body
        sessionPath = r.location().or(() -> Optional.ofNullable(r.body().path("@odata.id").textValue()));
    }

    /**
     * Deletes the session, if any. Best effort: the reset's own outcome matters more, and the BMC expires an
     * abandoned session by itself.
     */
    @Override
    public void close() {
        if (sessionPath.isEmpty()) {
            return;
        }
        String path = sessionPath.get();
        sessionPath = Optional.empty();
        try {
            send("DELETE", path, null);
        } catch (IOException e) {
            // the session times out on the BMC
        }
    }
}
