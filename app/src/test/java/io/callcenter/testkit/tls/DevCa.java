package io.callcenter.testkit.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

/**
 * Clients that trust the development CA of {@code scripts/dev-certs.sh} and nothing else: a wrong name or chain
 * fails as it would in an agent's browser, where trusting "any certificate" would hide it.
 */
public final class DevCa {

    private DevCa() {
    }

    /** An HTTP client trusting only the CA in {@code caPem}. */
    public static HttpClient httpClient(Path caPem) {
        return HttpClient.newBuilder().sslContext(sslContext(caPem)).build();
    }

    public static SSLContext sslContext(Path caPem) {
        try (InputStream ca = Files.newInputStream(caPem)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("callcenter-dev-ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the development CA " + caPem, e);
        }
    }
}
