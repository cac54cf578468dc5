import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Random;

/**
 * What one webhook signature check costs in CPU with the JDK's Ed25519 (the app's WebhookSignature does exactly
 * this per request: a Signature per call, the key parsed once): {@code java bench/intake/VerifyCost.java}. CPU time
 * of the measuring thread, so other load on the machine slows the wall clock but not the figure (much).
 */
public class VerifyCost {
    public static void main(String[] args) throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] body = new byte[700];
        new Random(14).nextBytes(body);
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(keys.getPrivate());
        signer.update(body);
        byte[] signature = signer.sign();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 1; round <= 4; round++) {
            int n = 3000;
            long wall = System.nanoTime();
            long cpu = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                Signature verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(keys.getPublic());
                verifier.update(body);
                if (!verifier.verify(signature)) {
                    throw new AssertionError("signature did not verify");
                }
            }
            System.out.printf("round %d: JDK Ed25519 verify of a 700-byte body: %.0f us CPU each (%.0f us wall), so %.2f cores at 2,000/s%n",
                    round, (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / n, (System.nanoTime() - wall) / 1e3 / n,
                    (threads.getCurrentThreadCpuTime() - cpu) / 1e9 / n * 2000);
        }
    }
}
