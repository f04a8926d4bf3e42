package io.walrus.server;

import io.walrus.client.TlsFiles;

import java.util.List;

/** The three TLS options of walrus-server and walrus, for a set of files. */
final class TlsOptions {
    private TlsOptions() {
    }

    static List<String> of(TlsFiles files) {
        return List.of(TlsFiles.CERT_OPTION, files.certificateChain().toString(), TlsFiles.KEY_OPTION,
                files.privateKey().toString(), TlsFiles.TRUST_OPTION, files.trustedCertificates().toString());
    }
}
