package io.walrus.client;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A list of node addresses as users write it: {@code host:port[,host:port...]}, each optionally
 * named, {@code id=host:port} (as {@code walrus-server --peers} takes them).
 */
public final class NodeAddresses {
    /** One node: its id when the text named one (else null), and where it listens. */
    public record Node(String id, String host, int port) {
        public String address() {
            return host + ":" + port;
        }

        public InetSocketAddress socketAddress() {
            return new InetSocketAddress(host, port);
        }
    }

    private NodeAddresses() {
    }

    /**
     * The nodes in {@code text}, in order.
     *
     * @throws IllegalArgumentException naming the first entry that is not {@code [id=]host:port} with a
     *                                  port from 1 to 65535, or an id or address given twice
     */
    public static List<Node> parse(String text) {
        Objects.requireNonNull(text, "addresses");
        List<Node> nodes = new ArrayList<>();
        Map<String, String> seenIds = new LinkedHashMap<>();
        Map<String, String> seenAddresses = new LinkedHashMap<>();
        for (String raw : text.split(",")) {
            String item = raw.strip();
            if (item.isEmpty()) {
                continue;
            }
            String id = null;
            String address = item;
            int equals = item.indexOf('=');
            if (equals >= 0) {
                id = item.substring(0, equals).strip();
                address = item.substring(equals + 1).strip();
                if (!id.matches("[A-Za-z0-9_.-]+")) {
                    throw new IllegalArgumentException("node id '" + id + "' in '" + item
                            + "' must be letters, digits, '-', '_' or '.'");
                }
                if (seenIds.put(id, item) != null) {
                    throw new IllegalArgumentException("node id '" + id + "' is given twice: '" + seenIds.get(id)
                            + "' and '" + item + "'");
                }
            }
            Node node = node(id, address, item);
            if (seenAddresses.put(node.address(), item) != null) {
                throw new IllegalArgumentException("address " + node.address() + " is given twice");
            }
            nodes.add(node);
        }
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("no node address in '" + text + "'; expected host:port[,host:port...]");
        }
        return nodes;
    }

    private static Node node(String id, String address, String item) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("'" + item + "' is not host:port");
        }
        String host = address.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + item + "' has no numeric port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " in '" + item + "' is not between 1 and 65535");
        }
        return new Node(id, host, port);
    }
}
