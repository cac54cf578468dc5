package io.callcenter.it;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the app costs while a benchmark loads it, sampled every 100 ms in the JVM the app runs in: heap used (peak,
 * and live after a GC at the end), resident set size (peak, from /proc), the process's CPU and the whole machine's
 * (so a run can show whether the machine itself was the limit). The test harness shares the JVM, a few MiB.
 */
final class BenchSampler implements AutoCloseable {

    record Figures(long heapPeakMiB, long heapLiveAfterGcMiB, long heapMaxMiB, long rssPeakMiB, double appCores,
                   double machineBusyCores, double cores) {
        @Override
        public String toString() {
            return "heap peak %d MiB (live after GC %d MiB, max %d MiB), RSS peak %d MiB, app CPU %.2f cores, machine busy %.2f of %.0f cores"
                    .formatted(heapPeakMiB, heapLiveAfterGcMiB, heapMaxMiB, rssPeakMiB, appCores, machineBusyCores, cores);
        }
    }

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final Thread thread;
    private final long startNanos = System.nanoTime();
    private final long startCpu = os.getProcessCpuTime();
    private final long[] startMachine = machineTicks();
    private volatile boolean running = true;
    private volatile long heapPeak;
    private volatile long rssPeak;

    BenchSampler() {
        thread = Thread.ofPlatform().daemon().name("bench-sampler").start(() -> {
            while (running) {
                heapPeak = Math.max(heapPeak, memory.getHeapMemoryUsage().getUsed());
                rssPeak = Math.max(rssPeak, rssBytes());
                TestApp.sleep(100);
            }
        });
    }

    Figures stop() {
        running = false;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double wall = (System.nanoTime() - startNanos) / 1e9;
        double appCores = (os.getProcessCpuTime() - startCpu) / 1e9 / wall;
        long[] machine = machineTicks();
        long busy = (machine[0] - startMachine[0]);
        long all = (machine[1] - startMachine[1]);
        int cores = Runtime.getRuntime().availableProcessors();
        System.gc();
        return new Figures(heapPeak >> 20, memory.getHeapMemoryUsage().getUsed() >> 20,
                memory.getHeapMemoryUsage().getMax() >> 20, rssPeak >> 20, appCores,
                all == 0 ? 0 : (double) busy / all * cores, cores);
    }

    @Override
    public void close() {
        running = false;
    }

    private static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // not Linux: no RSS figure
        }
        return 0;
    }

    /** {busy, all} jiffies of the machine since boot, from the first line of /proc/stat. */
    private static long[] machineTicks() {
        try {
            List<String> fields = List.of(Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+"));
            long all = 0;
            for (int i = 1; i < fields.size(); i++) {
                all += Long.parseLong(fields.get(i));
            }
            long idle = Long.parseLong(fields.get(4)) + Long.parseLong(fields.get(5));
            return new long[] {all - idle, all};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }
}
