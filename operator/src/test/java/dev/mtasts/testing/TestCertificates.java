package dev.mtasts.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A test certificate authority: a CA the checks are told to trust, and server certificates it signs. */
public final class TestCertificates {

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final KeyPair caKey;
  private final X509Certificate ca;

  public TestCertificates() {
    this.caKey = keyPair();
    this.ca = sign(new X500Name("CN=mta-sts-operator test CA"), caKey, caKey, new X500Name("CN=mta-sts-operator test CA"),
        Instant.now().minusSeconds(3600), Instant.now().plusSeconds(86400 * 30L), true, new String[0]);
  }

  /** Writes the CA certificate as PEM, for {@code check --ca-file}. */
  public Path writeCa(Path file) {
    return write(file, pem(ca));
  }

  /** A key and certificate for the names, valid between the instants; PEM files "name.key" and "name.crt". */
  public Path[] issue(Path dir, String fileName, Instant notBefore, Instant notAfter, String... dnsNames) {
    KeyPair key = keyPair();
    X509Certificate certificate = sign(new X500Name("CN=" + dnsNames[0]), key, caKey,
        new X500Name("CN=mta-sts-operator test CA"), notBefore, notAfter, false, dnsNames);
    return new Path[] {
        write(dir.resolve(fileName + ".crt"), pem(certificate) + pem(ca)),
        write(dir.resolve(fileName + ".key"), pem(key.getPrivate()))};
  }

  private static X509Certificate sign(X500Name subject, KeyPair subjectKey, KeyPair issuerKey, X500Name issuer,
      Instant notBefore, Instant notAfter, boolean isCa, String[] dnsNames) {
    try {
      var builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
          Date.from(notBefore), Date.from(notAfter), subject, subjectKey.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      if (dnsNames.length > 0) {
        GeneralName[] names = new GeneralName[dnsNames.length];
        for (int i = 0; i < dnsNames.length; i++) {
          // An IPv4 literal becomes an IP address name, for servers a client reaches by their loopback address.
          names[i] = new GeneralName(dnsNames[i].matches("\\d+\\.\\d+\\.\\d+\\.\\d+")
              ? GeneralName.iPAddress : GeneralName.dNSName, dnsNames[i]);
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      }
      var signer = new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (Exception e) {
      throw new IllegalStateException("cannot make a test certificate: " + e.getMessage(), e);
    }
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static Path write(Path file, String content) {
    try {
      Files.writeString(file, content);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
