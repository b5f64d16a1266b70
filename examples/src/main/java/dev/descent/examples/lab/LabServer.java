package dev.descent.examples.lab;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * The lab's web server (the JDK's {@code com.sun.net.httpserver}): bound to the loopback address only, it serves the
 * page's three files from the classpath and four JSON endpoints.
 *
 * <ul>
 *   <li>{@code GET /api/catalogue}: the landscapes, optimizers with their sliders, data sets, activations and limits;</li>
 *   <li>{@code POST /api/trajectory}: optimizers on a landscape ({@link Trajectories});</li>
 *   <li>{@code POST /api/network/reset}: a new network session for a tab ({@link NetworkSession});</li>
 *   <li>{@code POST /api/network/step}: a bounded number of training steps of that session.</li>
 * </ul>
 *
 * <p>Every request must name this server in its {@code Host} header ({@code 127.0.0.1:port} or {@code localhost:port})
 * and, when it has an {@code Origin}, come from this server's own page: a web page elsewhere that points a DNS name
 * at 127.0.0.1 (DNS rebinding) is refused with 403. Bad parameters get 400 with {@code {"error": "..."}}, a step
 * for a tab whose previous step is still running gets 429. A fixed pool of {@link #THREADS} threads serves requests
 * in arrival order, and each request's work is bounded, so one tab cannot hold the server from another.
 */
public final class LabServer implements AutoCloseable {
    static final int THREADS = 2, MAX_SESSIONS = 16, MAX_BODY = 64 * 1024;
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    /** The only files served, by path: name on the classpath beside this class and content type. */
    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/lab.js", new String[] {"lab.js", "text/javascript; charset=utf-8"},
            "/lab.css", new String[] {"lab.css", "text/css; charset=utf-8"});

    private static final Gson GSON = new GsonBuilder().registerTypeAdapter(double.class, new FiniteOrNull())
            .registerTypeAdapter(Double.class, new FiniteOrNull()).create();

    private final HttpServer server;
    private final ExecutorService pool;
    private final Sessions sessions = new Sessions(MAX_SESSIONS);
    private final Set<String> allowedHosts;

    private LabServer(HttpServer server) {
        this.server = server;
        int port = server.getAddress().getPort();
        this.allowedHosts = Set.of("127.0.0.1:" + port, "localhost:" + port);
        this.pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "descent-lab");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
    }

    /** Starts a server on 127.0.0.1 at {@code port} (0: any free port). */
    public static LabServer start(int port) throws IOException {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port: expected a port in [0, 65535] (0: any free one), got " + port);
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (java.net.BindException e) {
            throw new IllegalArgumentException("--port: 127.0.0.1:" + port + " is in use; choose another, or leave --port out for a free one");
        }
        LabServer lab = new LabServer(http);
        http.start();
        return lab;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The page's address. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String host = ex.getRequestHeaders().getFirst("Host");
            String origin = ex.getRequestHeaders().getFirst("Origin");
            if (host == null || !allowedHosts.contains(host.toLowerCase(java.util.Locale.ROOT))) {
                send(ex, 403, error("forbidden: the lab answers only requests addressed to 127.0.0.1:" + port() + " or localhost:" + port()
                        + ", this one was for " + host));
                return;
            }
            if (origin != null && !(origin.equals("http://127.0.0.1:" + port()) || origin.equals("http://localhost:" + port()))) {
                send(ex, 403, error("forbidden: requests from the page at " + origin + " are not accepted"));
                return;
            }
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.startsWith("/api/")) {
                api(ex, method, path);
            } else if (FILES.containsKey(path) && (method.equals("GET") || method.equals("HEAD"))) {
                String[] file = FILES.get(path);
                try (InputStream in = LabServer.class.getResourceAsStream(file[0])) {
                    if (in == null) throw new IOException("lab resource " + file[0] + " is missing from the jar");
                    sendBytes(ex, 200, file[1], in.readAllBytes());
                }
            } else {
                send(ex, 404, error("not found: " + path));
            }
        } catch (RuntimeException | IOException e) {
            // the exchange may be half written; nothing more can be told to this client
        }
    }

    private void api(HttpExchange ex, String method, String path) throws IOException {
        boolean post = method.equals("POST");
        try {
            switch (path) {
                case "/api/catalogue" -> send(ex, 200, GSON.toJson(catalogue()));
                case "/api/trajectory" -> send(ex, 200, GSON.toJson(Trajectories.compute(body(ex, post))));
                case "/api/network/reset" -> {
                    Params p = body(ex, post);
                    String id = p.string("session", SESSION_ID, "a session id of 8 to 64 letters, digits, '-' or '_'");
                    NetworkSession s = new NetworkSession(NetworkSession.Config.read(p.object("config")));
                    sessions.put(id, s);
                    s.lock.lock();
                    try {
                        send(ex, 200, GSON.toJson(s.advance(0, 0)));
                    } finally {
                        s.lock.unlock();
                    }
                }
                case "/api/network/step" -> {
                    Params p = body(ex, post);
                    String id = p.string("session", SESSION_ID, "a session id of 8 to 64 letters, digits, '-' or '_'");
                    int steps = p.integer("steps", 0, NetworkSession.MAX_STEPS_PER_REQUEST, 1);
                    int since = p.integer("since", 0, NetworkSession.MAX_TOTAL_STEPS, 0);
                    NetworkSession s = sessions.get(id);
                    if (s == null) {
                        send(ex, 404, error("unknown session " + id + " (never started, or closed to make room for newer tabs): press Reset"));
                        return;
                    }
                    if (!s.lock.tryLock()) {
                        send(ex, 429, error("this tab's previous step is still running"));
                        return;
                    }
                    try {
                        send(ex, 200, GSON.toJson(s.advance(steps, since)));
                    } finally {
                        s.lock.unlock();
                    }
                }
                default -> send(ex, 404, error("not found: " + path));
            }
        } catch (MethodNotAllowed e) {
            send(ex, 405, error(e.getMessage()));
        } catch (BodyTooLarge e) {
            send(ex, 413, error(e.getMessage()));
        } catch (IllegalArgumentException e) {
            send(ex, 400, error(e.getMessage()));
        }
    }

    private static final class MethodNotAllowed extends RuntimeException {
        MethodNotAllowed(String message) {
            super(message);
        }
    }

    private static final class BodyTooLarge extends RuntimeException {
        BodyTooLarge(String message) {
            super(message);
        }
    }

    private static Params body(HttpExchange ex, boolean post) throws IOException {
        if (!post) throw new MethodNotAllowed(ex.getRequestURI().getPath() + ": expected POST, got " + ex.getRequestMethod());
        byte[] bytes = ex.getRequestBody().readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) throw new BodyTooLarge("request body: expected at most " + MAX_BODY + " bytes");
        return Params.parse(new String(bytes, StandardCharsets.UTF_8));
    }

    static Map<String, Object> catalogue() {
        Map<String, Object> c = new LinkedHashMap<>();
        List<Map<String, Object>> lands = new ArrayList<>();
        for (Landscape l : Landscape.values()) {
            lands.add(Map.of("key", l.key(), "title", l.title, "window", new double[] {l.x0, l.x1, l.y0, l.y1},
                    "start", new double[] {l.startX, l.startY}));
        }
        c.put("landscapes", lands);
        c.put("kappa", new double[] {Landscape.MIN_KAPPA, Landscape.MAX_KAPPA, Landscape.DEFAULT_KAPPA});
        List<Map<String, Object>> opts = new ArrayList<>();
        for (OptimizerKind k : OptimizerKind.values()) opts.add(Map.of("key", k.key(), "label", k.label, "hyperparameters", k.hyperparameters));
        c.put("optimizers", opts);
        c.put("maxSteps", Trajectories.MAX_STEPS);
        c.put("maxOptimizers", Trajectories.MAX_OPTIMIZERS);
        c.put("datasets", PlaneData.keys());
        c.put("activations", Params.keys(PlaygroundNet.Activation.values(), Params::key));
        c.put("inits", Params.keys(PlaygroundNet.Initialisation.values(), Params::key));
        c.put("network", Map.of("minPoints", NetworkSession.MIN_POINTS, "maxPoints", NetworkSession.MAX_POINTS, "maxDepth", NetworkSession.MAX_DEPTH,
                "maxWidth", NetworkSession.MAX_WIDTH, "maxStepsPerRequest", NetworkSession.MAX_STEPS_PER_REQUEST));
        return c;
    }

    private static String error(String message) {
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        return o.toString();
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        sendBytes(ex, status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
    }

    private static void sendBytes(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Cache-Control", "no-store");
        h.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** JSON has no NaN or infinity: such values (a diverged loss) are written as null, which the page shows as a gap. */
    private static final class FiniteOrNull extends TypeAdapter<Double> {
        @Override
        public void write(JsonWriter out, Double value) throws IOException {
            if (value == null || !Double.isFinite(value)) out.nullValue();
            else out.value(value.doubleValue());
        }

        @Override
        public Double read(JsonReader in) {
            throw new UnsupportedOperationException("the lab only writes JSON with this adapter");
        }
    }
}
