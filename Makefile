# Thin wrappers: the work is in scripts/. The two commands a newcomer needs are `make up` and `make test`.
# Every target runs Java through JAVA_HOME=Temurin 25 (the machine's default java is 17).
JAVA_HOME_25 ?= /usr/lib/jvm/temurin-25-jdk-amd64
MVN = JAVA_HOME=$(JAVA_HOME_25) mvn -B -q

.PHONY: up down status logs test first-call bench bench-queue bench-cluster bench-capacity bench-admission bench-intake bench-intake-compare bench-history bench-live-reads bench-verify bench-transfers pacing-report clean container-check test-containers

up:          ## PostgreSQL, Asterisk 22 and the app with demo data (scripts/dev.sh)
	bash scripts/dev.sh up

down:        ## stop the app, Asterisk and PostgreSQL (data in .run/ is kept)
	bash scripts/dev.sh down

status:
	bash scripts/dev.sh status

logs:        ## follow the app log
	bash scripts/dev.sh logs

test:        ## all unit and integration tests (real Asterisk, PostgreSQL, SIP peers); needs the dev system down
	bash scripts/test.sh

first-call:  ## a call from the stand-in carrier to the demo DID, answered by agent 1001 (needs `make up`)
	$(MVN) -pl app -am test-compile exec:java \
	  -Dexec.mainClass=io.callcenter.testkit.demo.FirstCall -Dexec.classpathScope=test \
	  -Dcallcenter.run.dir=$(or $(CALLCENTER_RUN_DIR),$(CURDIR)/.run)

container-check:  ## images built, compose stack up, `make first-call` against it, image sizes, all torn down
	bash scripts/containers.sh check

test-containers:  ## an integration test on Testcontainers' PostgreSQL (the project's image) through podman's API
	bash scripts/containers.sh testcontainers

bench:       ## call path benchmark, ARI app vs plain Dial(): latency, ceiling, 200 originations (dev system down)
	bash bench/call-setup.sh

# Issue 14's intake and history figures: each an IT skipped unless callcenter.bench names it, run under the machine's
# benchmark lock (no two benchmarks overlap) in a network namespace of its own (the ITs' ports are fixed).
BENCH_IT = flock /tmp/bench.lock unshare -n bash -c 'ip link set lo up; cd $(CURDIR) && JAVA_HOME=$(JAVA_HOME_25) \
	  mvn -o -B verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false $(BENCH_ARGS) -Dit.test=$(1) -Dcallcenter.bench=$(2)'

# The app's production JVM flags (JDK_JAVA_OPTIONS in docker/Dockerfile.app), so the intake bench measures them.
APP_JVM_FLAGS = $(shell sed -n 's/^ENV JDK_JAVA_OPTIONS="\(.*\)"$$/\1/p' docker/Dockerfile.app)

bench-intake:  ## signed Telnyx webhooks/s against their ack latency, the app's heap/RSS, production JVM flags (bench/README.md)
	$(call BENCH_IT,IntakeBenchIT,intake "-DargLine=$(APP_JVM_FLAGS)")

bench-intake-compare:  ## the intake before (BEFORE=7774d26) and after, JVM defaults against the production flags, one lock hold
	bash bench/intake/compare.sh $(or $(BEFORE),7774d26)

bench-verify:  ## JMH: one webhook's Ed25519 check, the JDK's provider against BouncyCastle and object reuse (ratios)
	$(MVN) -o test-compile dependency:build-classpath -pl app -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-cp.txt
	flock /tmp/bench.lock $(JAVA_HOME_25)/bin/java -cp app/target/test-classes:app/target/classes:$$(cat app/target/bench-cp.txt) \
	  io.callcenter.dialer.telnyx.WebhookVerifyBench

bench-history: ## call history pages at 100k and 10 million calls, per role, first and deep pages (bench/README.md)
	$(call BENCH_IT,HistoryBenchIT,history)

bench-live-reads: ## GET /api/calls/{id} of a live call (engine's memory) against an ended one (its rows): p50/p99
	$(call BENCH_IT,LiveCallReadsIT,live-reads)

bench-transfers: ## 200 dialer attempts answered within one second, transferred to agents: INVITE -> ringing, -> connected (dev system down)
	BENCH_PHASES=transfers bash bench/call-setup.sh

bench-capacity: ## concurrent recorded calls with audio both ways, ARI app vs Dial()+MixMonitor, 120..300 at once (dev system down)
	BENCH_PHASES=capacity BENCH_AGENTS=$${BENCH_AGENTS:-300} bash bench/call-setup.sh

bench-admission: ## a step above the admission limit: the excess refused with 503, every connected call recorded (dev system down)
	BENCH_PHASES=admission BENCH_AGENTS=$${BENCH_AGENTS:-100} bash bench/call-setup.sh

bench-cluster: ## two Asterisk nodes behind the edge: the edge's added setup latency, 1 vs 2 nodes at the same recorded load
	flock /tmp/bench.lock unshare -n bash -c 'ip link set lo up; cd $(CURDIR) && bash bench/cluster.sh'

bench-queue: ## 200 callers waiting: app's queue vs MusicOnHold() and app_queue (CPU, RTP, music), agent available -> ringing
	bash bench/queue-hold.sh

pacing-report: ## dialer pacing simulation: every mode on the same 50 days, TSR-measured; rewrites its BENCHMARKS.md table
	$(MVN) -pl app -am test -Dtest=PacingSimulationTest -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dpacing.report=$(CURDIR)/BENCHMARKS.md

clean:       ## build output only; the dev database and secrets in .run/ stay (rm -rf .run after `make down`)
	$(MVN) clean
