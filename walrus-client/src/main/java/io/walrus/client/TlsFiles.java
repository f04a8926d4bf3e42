package io.walrus.client;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The three PEM files of one side of mutual TLS, as {@code walrus-server}, {@code WalrusClient} and
 * {@code walrus} take them ({@code --tls-cert}, {@code --tls-key}, {@code --tls-trust}).
 *
 * @param certificateChain this side's certificate, then any intermediate certificates up to (not
 *                         necessarily including) the CA ({@code -----BEGIN CERTIFICATE-----} blocks)
 * @param privateKey       the certificate's private key, unencrypted PKCS#8 ({@code -----BEGIN PRIVATE KEY-----})
 * @param trustedCertificates the CA certificates the other side's certificate must chain to
 */
public record TlsFiles(Path certificateChain, Path privateKey, Path trustedCertificates) {
    public static final String CERT_OPTION = "--tls-cert";
    public static final String KEY_OPTION = "--tls-key";
    public static final String TRUST_OPTION = "--tls-trust";

    public TlsFiles {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(trustedCertificates, "trustedCertificates");
    }

    /**
     * The files given with the three options, or empty when none is (plain connections): one or two
     * alone are refused, since half a TLS setup would silently talk in the clear or fail obscurely.
     *
     * @throws IllegalArgumentException naming the options missing, when some but not all are given
     */
    public static Optional<TlsFiles> fromOptions(Path certificateChain, Path privateKey, Path trustedCertificates) {
        if (certificateChain == null && privateKey == null && trustedCertificates == null) {
            return Optional.empty();
        }
        List<String> missing = new ArrayList<>();
        if (certificateChain == null) {
            missing.add(CERT_OPTION);
        }
        if (privateKey == null) {
            missing.add(KEY_OPTION);
        }
        if (trustedCertificates == null) {
            missing.add(TRUST_OPTION);
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(CERT_OPTION + ", " + KEY_OPTION + " and " + TRUST_OPTION
                    + " go together (mutual TLS needs a certificate, its key and the trusted CA certificates): "
                    + String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are") + " missing");
        }
        return Optional.of(new TlsFiles(certificateChain, privateKey, trustedCertificates));
    }
}
