# The two commands a newcomer needs: `make up` and `make test`. Everything else is a convenience.
.PHONY: up down status logs test first-call bench clean

up:          ## PostgreSQL, Asterisk 22 and the app with demo data
	bash scripts/dev.sh up

down:
	bash scripts/dev.sh down

status:
	bash scripts/dev.sh status

logs:
	bash scripts/dev.sh logs

test:        ## all unit and integration tests (real Asterisk, PostgreSQL, SIP peers)
	bash scripts/test.sh

first-call:  ## a call from the stand-in carrier to the demo DID, answered by agent 1001 (needs `make up`)
	JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -B -q -pl app -am test-compile exec:java \
	  -Dexec.mainClass=io.callcenter.testkit.demo.FirstCall -Dexec.classpathScope=test \
	  -Dcallcenter.run.dir=$(CURDIR)/.run

bench:       ## call setup benchmark: ARI app vs plain Dial() (stops nothing; needs the dev system down)
	bash bench/call-setup.sh

clean:
	JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -B -q clean
