package io.walrus.bench.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Loopback ports the kernel picked as free, for child processes to listen on. They are released
 * before the children bind them, so another process could take one in between: a start that fails
 * on a taken port says so in the child's log.
 */
final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /** {@code count} distinct ports, all of them held open together while picking so none repeats. */
    static List<Integer> free(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
