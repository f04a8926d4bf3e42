package io.walrus.server;

import io.walrus.client.TlsFiles;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A certificate authority made for one test, in a directory: an EC P-256 key and its self-signed
 * CA certificate ({@code NAME-ca.crt}), and the certificates it issues as PEM files with their
 * PKCS#8 keys, as {@code openssl} makes them in docs/CLUSTER.md.
 */
final class TestAuthority {
    private static final AtomicLong SERIALS = new AtomicLong(1);

    private final Path dir;
    private final X500Name name;
    private final KeyPair keys;
    /** The CA certificate's PEM file: the trust file of whoever trusts this authority. */
    final Path certificateFile;

    private TestAuthority(Path dir, X500Name name, KeyPair keys, Path certificateFile) {
        this.dir = dir;
        this.name = name;
        this.keys = keys;
        this.certificateFile = certificateFile;
    }

    static TestAuthority create(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        KeyPair keys = newKeys();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        Path file = dir.resolve(name + "-ca.crt");
        writePem(file, sign(builder, keys));
        return new TestAuthority(dir, subject, keys, file);
    }

    /** A node's certificate: it names 127.0.0.1 and localhost (clients check it) and serves both ways. */
    TlsFiles issueNode(String subject) throws IOException {
        Instant now = Instant.now();
        return issue(subject, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), true);
    }

    /** A client's certificate: no address, client use only. */
    TlsFiles issueClient(String subject) throws IOException {
        Instant now = Instant.now();
        return issue(subject, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), false);
    }

    /** A certificate valid from {@code notBefore} to {@code notAfter}, its key, and this authority as the trust. */
    TlsFiles issue(String subject, Instant notBefore, Instant notAfter, boolean node) throws IOException {
        KeyPair pair = newKeys();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(notBefore),
                Date.from(notAfter), new X500Name("CN=" + subject), pair.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        if (node) {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        } else {
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        }
        Path certificate = dir.resolve(subject + ".crt");
        Path key = dir.resolve(subject + ".key");
        writePem(certificate, sign(builder, keys));
        writePem(key, new JcaPKCS8Generator(pair.getPrivate(), null));
        return new TlsFiles(certificate, key, certificateFile);
    }

    /** The same key in the older SEC1 form ({@code BEGIN EC PRIVATE KEY}), which the nodes refuse. */
    static void writeSec1Key(Path file) throws IOException {
        writePem(file, newKeys().getPrivate());
    }

    private static KeyPair newKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer) {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(System.currentTimeMillis()).shiftLeft(16).add(BigInteger.valueOf(SERIALS.getAndIncrement()));
    }

    private static void writePem(Path file, Object object) throws IOException {
        try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(object);
        }
    }
}
