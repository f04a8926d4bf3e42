package io.walrus.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The line protocol between a test and a {@link CuttableNodeMain} node, over a loopback port of the
 * node's: {@code cut n2,n3} (hold every Raft request from those peers) or {@code heal}; the node answers
 * {@code ok} once the change is in effect ({@code ok <held>} to a heal: the requests held since the
 * last). One command per connection.
 */
final class CutControl {
    private static final int ANSWER_TIMEOUT_MILLIS = 30_000;

    private CutControl() {
    }

    /** Node side: answers commands on {@code port} from a daemon thread, for as long as the JVM runs. */
    static void serve(int port, RaftRequestGate gate) throws IOException {
        ServerSocket server = new ServerSocket(port, 8, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            while (true) {
                try (Socket connection = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                            StandardCharsets.UTF_8));
                    PrintWriter out = new PrintWriter(new OutputStreamWriter(connection.getOutputStream(),
                            StandardCharsets.UTF_8), true);
                    out.println(apply(in.readLine(), gate));
                } catch (IOException e) {
                    System.err.println("cut control: " + e);
                }
            }
        }, "cut-control");
        thread.setDaemon(true);
        thread.start();
    }

    private static String apply(String command, RaftRequestGate gate) {
        if (command == null) {
            return "error: no command";
        }
        if (command.equals("heal")) {
            return "ok " + gate.heal();
        }
        if (command.startsWith("cut ")) {
            gate.cutOffFrom(Arrays.asList(command.substring(4).split(",")));
            return "ok";
        }
        return "error: unknown command '" + command + "'";
    }

    /** Test side: cuts the node on {@code port} off from {@code peers}; returns once in effect. */
    static void cut(int port, List<String> peers) {
        send(port, "cut " + String.join(",", peers));
    }

    /** Test side: heals the node on {@code port}; the Raft requests it held since the last heal. */
    static long heal(int port) {
        return Long.parseLong(send(port, "heal").substring(3));
    }

    private static String send(int port, String command) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), ANSWER_TIMEOUT_MILLIS);
            socket.setSoTimeout(ANSWER_TIMEOUT_MILLIS);
            PrintWriter out = new PrintWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8),
                    true);
            out.println(command);
            String answer = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            if (answer == null || !answer.startsWith("ok")) {
                throw new IllegalStateException("the node's cut control on port " + port + " answered '" + answer
                        + "' to '" + command + "'");
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException("the node's cut control on port " + port + " did not answer '" + command
                    + "'", e);
        }
    }
}
