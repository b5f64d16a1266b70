package dev.descent.examples.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The lab's HTTP surface: what it serves, what it refuses and how errors reach the page. */
class LabServerTest {
    static LabServer server;

    @BeforeAll
    static void start() throws IOException {
        server = LabServer.start(0);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** One raw HTTP/1.1 exchange, so that the test controls every header (java.net.http will not send a foreign Host). */
    record Reply(int status, String body) {
        JsonObject json() {
            return JsonParser.parseString(body).getAsJsonObject();
        }
    }

    static Reply request(String method, String path, String host, String origin, String body) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
            if (origin != null) head.append("Origin: ").append(origin).append("\r\n");
            if (body != null) head.append("Content-Type: application/json\r\nContent-Length: ").append(payload.length).append("\r\n");
            head.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
            InputStream in = s.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(reply.substring(9, 12));
            return new Reply(status, reply.substring(reply.indexOf("\r\n\r\n") + 4));
        }
    }

    static Reply local(String method, String path, String body) throws IOException {
        return request(method, path, "127.0.0.1:" + server.port(), null, body);
    }

    @Test
    void servesThePageAndItsTwoFilesOnly() throws IOException {
        Reply page = local("GET", "/", null);
        assertEquals(200, page.status());
        assertTrue(page.body().contains("<script src=\"/lab.js\">"), page.body());
        assertEquals(200, local("GET", "/lab.js", null).status());
        assertEquals(200, local("GET", "/lab.css", null).status());
        assertEquals(404, local("GET", "/LabServer.class", null).status());
        assertEquals(404, local("GET", "/../pom.xml", null).status());
        assertEquals(404, local("GET", "/dev/descent/examples/lab/lab.js", null).status());
    }

    @Test
    void refusesAForeignHostOrOrigin() throws IOException {
        Reply rebound = request("GET", "/api/catalogue", "attacker.example:" + server.port(), null, null);
        assertEquals(403, rebound.status());
        assertTrue(rebound.json().get("error").getAsString().contains("attacker.example"), rebound.body());
        assertEquals(403, request("GET", "/", "127.0.0.1", null, null).status(), "the port is part of the address");
        assertEquals(403, request("POST", "/api/trajectory", "127.0.0.1:" + server.port(), "http://attacker.example",
                "{\"optimizers\":[{\"name\":\"adam\"}]}").status());
        assertEquals(200, request("GET", "/api/catalogue", "localhost:" + server.port(), "http://localhost:" + server.port(), null).status());
    }

    @Test
    void bindsToLoopbackOnly() {
        assertTrue(server.uri().getHost().equals("127.0.0.1"));
    }

    @Test
    void badParametersGet400WithTheParameterNamed() throws IOException {
        Reply r = local("POST", "/api/trajectory", "{\"landscape\":\"rosenbrock\",\"optimizers\":[{\"name\":\"adam\",\"params\":{\"lr\":50}}]}");
        assertEquals(400, r.status());
        assertEquals("optimizers[0].params.lr: expected a number in [1.00e-05, 10], got 50", r.json().get("error").getAsString());
        assertEquals(400, local("POST", "/api/trajectory", "not json").status());
        assertEquals(405, local("GET", "/api/trajectory", null).status());
        Reply nesterov = local("POST", "/api/trajectory",
                "{\"optimizers\":[{\"name\":\"sgd\",\"params\":{\"lr\":0.001,\"nesterov\":true}}]}");
        assertEquals(400, nesterov.status());
        assertTrue(nesterov.json().get("error").getAsString().startsWith("optimizers[0] (SGD): "), nesterov.body());
    }

    @Test
    void aStepForAnUnknownSessionSays404AndHowToRecover() throws IOException {
        Reply r = local("POST", "/api/network/step", "{\"session\":\"never-opened-1\",\"steps\":1}");
        assertEquals(404, r.status());
        assertTrue(r.json().get("error").getAsString().contains("press Reset"), r.body());
    }

    @Test
    void aSessionTrainsAcrossRequests() throws IOException {
        String config = "{\"dataset\":\"moons\",\"points\":100,\"depth\":2,\"width\":8,\"seed\":3,\"optimizer\":{\"name\":\"adam\",\"params\":{\"lr\":0.02}}}";
        Reply reset = local("POST", "/api/network/reset", "{\"session\":\"tab-aaaaaaaa\",\"config\":" + config + "}");
        assertEquals(200, reset.status(), reset.body());
        assertEquals(0, reset.json().get("step").getAsInt());
        Reply step = local("POST", "/api/network/step", "{\"session\":\"tab-aaaaaaaa\",\"steps\":5,\"since\":1}");
        assertEquals(200, step.status(), step.body());
        assertEquals(5, step.json().get("step").getAsInt());
        assertEquals(5, step.json().getAsJsonArray("trainLoss").size(), "the losses of steps 1..5, after the one the page has");
        assertEquals(3, step.json().getAsJsonArray("layers").size(), "two hidden layers and the output layer");
    }

    @Test
    void oversizedBodiesAreRefused() throws IOException {
        assertEquals(413, local("POST", "/api/trajectory", "{\"x\":\"" + "a".repeat(LabServer.MAX_BODY) + "\"}").status());
    }
}
