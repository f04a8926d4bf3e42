package io.walrus.server;

/**
 * A {@code walrus-server} node that a test can cut off from its peers and heal ({@link CutControl} on
 * the loopback port in {@code -Dwalrus.test.cutControlPort}), for partitions between real node
 * processes. Everything else is {@link WalrusServerMain}'s; the test runs it from the server jar
 * with this module's test classes beside it.
 */
public final class CuttableNodeMain {
    static final String CONTROL_PORT = "walrus.test.cutControlPort";

    private CuttableNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        // First: slf4j-simple reads its settings when the first logger is made, and Ratis's injection
        // registry makes one.
        ServerLogging.configure();
        Integer port = Integer.getInteger(CONTROL_PORT);
        if (port == null) {
            System.err.println("walrus-server (cuttable): -D" + CONTROL_PORT + "=PORT is missing");
            System.exit(2);
        }
        CutControl.serve(port, RaftRequestGate.install());
        WalrusServerMain.main(args);
    }
}
