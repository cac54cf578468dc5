package io.callcenter.dialer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * A call center in one-second steps, without any real call: agents talk and wrap up, dialled leads ring, answer
 * (sometimes), are classified human or machine after a few seconds, and a human who finds no free agent within 2 s
 * is abandoned. The answer rate drifts every 15 minutes and handle times vary, as they do over a real day.
 */
final class PacingSimulation {

    record Result(String mode, long dials, long humans, long machines, long abandons, double abandonRate,
                  double idleFraction, double humansPerAgentHour, double finalRatio) {
    }

    private static final int ADAPT_EVERY_SECONDS = 15;
    private static final int WRAP_UP_SECONDS = 5;
    private static final int RING_TIMEOUT_SECONDS = 25;

    private final long seed;
    private final int agents;
    private final int minutes;

    PacingSimulation(long seed, int agents, int minutes) {
        this.seed = seed;
        this.agents = agents;
        this.minutes = minutes;
    }

    private static final class Dial {
        int ringsLeft;
        boolean answers;
        boolean human;
        int amdLeft;
        int waitingFor = -1;
    }

    Result run(DialMode mode, double targetAbandonRate) {
        Random random = new Random(seed);
        int[] busyFor = new int[agents];
        List<Dial> inFlight = new ArrayList<>();
        double ratio = mode == DialMode.ADAPTIVE ? 1.5 : mode.fixedRatio();
        double answerRate = 0.3;
        double meanTalk = 90;
        long dials = 0, humans = 0, machines = 0, abandons = 0, idleSeconds = 0;
        int intervalHumans = 0, intervalAbandons = 0;
        long intervalIdle = 0;
        int seconds = minutes * 60;
        for (int t = 0; t < seconds; t++) {
            if (t % 900 == 0) {
                answerRate = 0.15 + random.nextDouble() * 0.4;
                meanTalk = 60 + random.nextDouble() * 120;
            }
            for (int a = 0; a < agents; a++) {
                if (busyFor[a] > 0) {
                    busyFor[a]--;
                }
            }
            for (Iterator<Dial> it = inFlight.iterator(); it.hasNext(); ) {
                Dial dial = it.next();
                if (dial.waitingFor >= 0) {
                    int agent = freeAgent(busyFor);
                    if (agent >= 0) {
                        busyFor[agent] = talkTime(random, meanTalk) + WRAP_UP_SECONDS;
                        it.remove();
                    } else if (++dial.waitingFor >= 2) {
                        abandons++;
                        intervalAbandons++;
                        it.remove();
                    }
                } else if (dial.ringsLeft > 0) {
                    dial.ringsLeft--;
                } else if (!dial.answers) {
                    it.remove();
                } else if (dial.amdLeft > 0) {
                    dial.amdLeft--;
                } else if (!dial.human) {
                    machines++;
                    it.remove();
                } else {
                    humans++;
                    intervalHumans++;
                    int agent = freeAgent(busyFor);
                    if (agent >= 0) {
                        busyFor[agent] = talkTime(random, meanTalk) + WRAP_UP_SECONDS;
                        it.remove();
                    } else {
                        dial.waitingFor = 0;
                    }
                }
            }
            int idle = 0;
            for (int a = 0; a < agents; a++) {
                if (busyFor[a] == 0) {
                    idle++;
                }
            }
            int waiting = (int) inFlight.stream().filter(d -> d.waitingFor >= 0).count();
            idleSeconds += idle;
            intervalIdle += idle;
            int toStart = Pacer.dialsToStart(ratio, Math.max(0, idle - waiting), inFlight.size() - waiting);
            for (int i = 0; i < toStart; i++) {
                Dial dial = new Dial();
                dial.answers = random.nextDouble() < answerRate;
                dial.ringsLeft = dial.answers ? 4 + random.nextInt(16) : RING_TIMEOUT_SECONDS;
                dial.human = random.nextDouble() < 0.7;
                dial.amdLeft = 2 + random.nextInt(3);
                inFlight.add(dial);
                dials++;
            }
            if (mode == DialMode.ADAPTIVE && t % ADAPT_EVERY_SECONDS == ADAPT_EVERY_SECONDS - 1) {
                ratio = Pacer.adapt(ratio, new Pacer.Measurement(humans, abandons, intervalHumans, intervalAbandons,
                        (double) intervalIdle / (agents * ADAPT_EVERY_SECONDS)), targetAbandonRate);
                intervalHumans = 0;
                intervalAbandons = 0;
                intervalIdle = 0;
            }
        }
        double hours = seconds / 3600.0;
        return new Result(mode.code(), dials, humans, machines, abandons, humans == 0 ? 0 : (double) abandons / humans,
                (double) idleSeconds / ((long) agents * seconds), (humans - abandons) / (agents * hours), ratio);
    }

    private static int freeAgent(int[] busyFor) {
        for (int a = 0; a < busyFor.length; a++) {
            if (busyFor[a] == 0) {
                return a;
            }
        }
        return -1;
    }

    private static int talkTime(Random random, double mean) {
        return Math.max(10, (int) Math.round(-mean * Math.log(1 - random.nextDouble())));
    }
}
