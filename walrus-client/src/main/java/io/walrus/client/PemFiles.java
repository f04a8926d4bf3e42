package io.walrus.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads certificates and a private key from PEM files with the JDK alone, and says in words what is
 * wrong with a file that is not what it should be: missing, unreadable, binary, another kind of key.
 */
final class PemFiles {
    private static final Pattern CERTIFICATE =
            Pattern.compile("-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", Pattern.DOTALL);
    private static final Pattern PKCS8_KEY =
            Pattern.compile("-----BEGIN PRIVATE KEY-----(.*?)-----END PRIVATE KEY-----", Pattern.DOTALL);
    /** The older, algorithm-specific key formats (PKCS#1 "RSA", SEC1 "EC"), which the JDK does not read. */
    private static final Pattern LEGACY_KEY = Pattern.compile("-----BEGIN (RSA|EC|DSA) PRIVATE KEY-----");

    private PemFiles() {
    }

    /** Every {@code CERTIFICATE} block of {@code file}, in order; at least one. */
    static List<X509Certificate> certificates(Path file, String what) throws IOException {
        String text = read(file, what);
        Matcher blocks = CERTIFICATE.matcher(text);
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("this JDK has no X.509 certificate factory", e);
        }
        while (blocks.find()) {
            byte[] der = decode(blocks.group(1), file, what, "certificate " + (certificates.size() + 1));
            try {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (CertificateException e) {
                throw new IOException(what + " " + file + ": certificate " + (certificates.size() + 1)
                        + " is not an X.509 certificate: " + e.getMessage(), e);
            }
        }
        if (certificates.isEmpty()) {
            throw new IOException(what + " " + file + " is not PEM: it has no -----BEGIN CERTIFICATE----- block");
        }
        return certificates;
    }

    /** The unencrypted PKCS#8 key of {@code file}, which must be an {@code algorithm} key (RSA, EC, ...). */
    static PrivateKey privateKey(Path file, String what, String algorithm) throws IOException {
        String text = read(file, what);
        if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new IOException(what + " " + file + " is encrypted; give it unencrypted (openssl pkcs8 -in " + file
                    + " -out plain.key) and readable by this user alone");
        }
        Matcher legacy = LEGACY_KEY.matcher(text);
        if (legacy.find()) {
            throw new IOException(what + " " + file + " is a '" + legacy.group(1) + " PRIVATE KEY', not PKCS#8; "
                    + "convert it: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
        }
        Matcher block = PKCS8_KEY.matcher(text);
        if (!block.find()) {
            throw new IOException(what + " " + file + " is not PEM: it has no -----BEGIN PRIVATE KEY----- block");
        }
        byte[] der = decode(block.group(1), file, what, "the key");
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IOException(what + " " + file + " does not hold an " + algorithm
                    + " key, the kind the certificate's public key is: " + e.getMessage(), e);
        }
    }

    private static String read(Path file, String what) throws IOException {
        try {
            if (Files.isDirectory(file)) {
                throw new IOException(what + " " + file + " is a directory, not a file");
            }
            // Strict US-ASCII: PEM is text, and a binary (DER) file fails here rather than as garbage later.
            return StandardCharsets.US_ASCII.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (NoSuchFileException e) {
            throw new IOException(what + " " + file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new IOException(what + " " + file + " cannot be read: permission denied", e);
        } catch (CharacterCodingException e) {
            throw new IOException(what + " " + file + " is not PEM: it is not text (DER? openssl x509 -inform der "
                    + "or openssl pkcs8 -inform der converts one)", e);
        }
    }

    private static byte[] decode(String base64, Path file, String what, String block) throws IOException {
        try {
            return Base64.getMimeDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IOException(what + " " + file + ": " + block + " is not base64: " + e.getMessage(), e);
        }
    }
}
