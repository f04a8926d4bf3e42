package io.walrus.client;

import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * One side's mutual-TLS material, read from its {@link TlsFiles} and checked before anything is
 * sent or written, and handed to Ratis's gRPC as the one TLS configuration of every channel: a
 * node's server port (Raft, client and admin services share it), its connections to the other
 * nodes, and a client's connections. Each side presents its certificate and accepts only a peer
 * whose certificate chains to one of the trusted certificates; a node refuses a client without one.
 */
public final class TlsCredentials {
    /** Guards nothing: the key store lives in memory only, for the JDK's key manager to read. */
    private static final char[] IN_MEMORY_PASSWORD = "walrus".toCharArray();

    private final TlsFiles files;
    private final X509Certificate certificate;
    private final GrpcTlsConfig config;

    private TlsCredentials(TlsFiles files, X509Certificate certificate, GrpcTlsConfig config) {
        this.files = files;
        this.certificate = certificate;
        this.config = config;
    }

    /**
     * Reads and checks the three files: PEM, the key is PKCS#8 and belongs to the first certificate,
     * that certificate is valid now.
     *
     * @throws IOException naming the file and what is wrong with it
     */
    public static TlsCredentials load(TlsFiles files) throws IOException {
        List<X509Certificate> chain = PemFiles.certificates(files.certificateChain(), "TLS certificate file");
        X509Certificate own = chain.getFirst();
        checkValidNow(own, files);
        String algorithm = own.getPublicKey().getAlgorithm();
        PrivateKey key = PemFiles.privateKey(files.privateKey(), "TLS key file", algorithm);
        checkKeyBelongsTo(key, own, files);
        List<X509Certificate> trusted = PemFiles.certificates(files.trustedCertificates(), "TLS trust file");
        try {
            return new TlsCredentials(files, own, new GrpcTlsConfig(keyManager(key, chain), trustManager(trusted), true));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS from " + files + ": " + e.getMessage(), e);
        }
    }

    /** Ratis's parameters that turn on mutual TLS with these credentials, for a RaftServer or a RaftClient. */
    public Parameters raftParameters() {
        Parameters parameters = new Parameters();
        // The default configuration, which Ratis uses for the server, client and admin channels alike.
        GrpcConfigKeys.TLS.setConf(parameters, config);
        return parameters;
    }

    /** Whose certificate this side presents, e.g. {@code CN=n1}. */
    public String subject() {
        return certificate.getSubjectX500Principal().getName();
    }

    public TlsFiles files() {
        return files;
    }

    private static void checkValidNow(X509Certificate certificate, TlsFiles files) throws IOException {
        try {
            certificate.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new IOException("TLS certificate file " + files.certificateChain() + ": the certificate of "
                    + certificate.getSubjectX500Principal().getName() + " expired on " + certificate.getNotAfter().toInstant(), e);
        } catch (CertificateNotYetValidException e) {
            throw new IOException("TLS certificate file " + files.certificateChain() + ": the certificate of "
                    + certificate.getSubjectX500Principal().getName() + " is not valid before "
                    + certificate.getNotBefore().toInstant(), e);
        }
    }

    /**
     * A key of another certificate would load and then fail every handshake with an error that names
     * neither file; a signature the certificate's public key verifies proves the pair here.
     */
    private static void checkKeyBelongsTo(PrivateKey key, X509Certificate certificate, TlsFiles files) throws IOException {
        String signatureAlgorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm();
            default -> null;
        };
        if (signatureAlgorithm == null) {
            return; // an unusual kind: the handshake will tell
        }
        byte[] probe = "walrus key check".getBytes(StandardCharsets.US_ASCII);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(signatureAlgorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(signatureAlgorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new IOException("TLS key file " + files.privateKey() + " is not the key of the certificate in "
                    + files.certificateChain() + " (" + certificate.getSubjectX500Principal().getName() + ")");
        }
    }

    private static KeyManager keyManager(PrivateKey key, List<X509Certificate> chain) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("walrus", key, IN_MEMORY_PASSWORD, chain.toArray(X509Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, IN_MEMORY_PASSWORD);
        return factory.getKeyManagers()[0];
    }

    private static TrustManager trustManager(List<X509Certificate> trusted) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < trusted.size(); i++) {
            store.setCertificateEntry("trusted-" + i, trusted.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers()[0];
    }

    @Override
    public String toString() {
        return "TlsCredentials[" + subject() + ", " + files + "]";
    }
}
