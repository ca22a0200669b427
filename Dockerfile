# orderbus image: one jar, and any node of the cluster. The roles, addresses and members come from
# ORDERBUS_* variables (see conf/compose.yaml), so one image serves every node.

# --- Stage 1: build -----------------------------------------------------------------------------------
# Maven and the JDK are needed only to build, so they stay in this stage and never reach the runtime image.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build

# The pom alone first: this layer (and the dependencies it downloads) is reused until the pom changes,
# so editing source does not download the internet again. go-offline does not resolve every plugin
# dependency, so the package step below may still fetch a few; the point is the cache, not offline builds.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline

# conf/ is copied with src/ because the pom packs conf/orderbus.json and conf/cluster.xml into the jar
# as the shipped defaults. Tests are skipped because some start separate JVMs and SIGKILL them, which
# belongs in CI (`mvn -B verify`), not in an image build.
COPY src src
COPY conf conf
RUN mvn -B -q package -DskipTests

# --- Stage 2: run -------------------------------------------------------------------------------------
# A JRE is enough to run the jar. The Ubuntu-based Temurin image (not Alpine) also ships curl, which the
# gateway's health check in conf/compose.yaml relies on.
FROM eclipse-temurin:17-jre

# The node runs as a user of its own, not root: a process that is taken over through the gateway then
# owns nothing of the container. A fixed UID and GID (10001), so that files mounted into the container
# can be made readable to it. It needs no home and no shell.
RUN groupadd --system --gid 10001 orderbus \
 && useradd --system --uid 10001 --gid orderbus --no-create-home --home-dir /app --shell /usr/sbin/nologin orderbus

# The node reads conf/orderbus.json and conf/cluster.xml relative to its working directory; with
# conf/ beside the jar they can be edited or mounted over without rebuilding the image. They stay owned by
# root: the node only reads them, and cannot change its own jar or settings. It writes nothing to disk
# (the cluster's state lives in memory, logs go to stdout).
WORKDIR /app
COPY --from=build /build/target/orderbus.jar /app/orderbus.jar
COPY conf /app/conf
USER 10001:10001

# A fixed heap, so that the JVM does not size itself from the host's memory when the container has no
# limit. Common-pool parallelism pinned at 2, as in the test JVMs: the JVM defaults it to CPUs - 1, so a
# container with 1 or 2 CPUs gets 1, and CompletableFuture (through which Hazelcast's async calls
# complete) then starts a new thread per task. No performance-data file: the thread that updates it wakes
# every 50 ms, a quarter of an idle node's own CPU (jcmd by pid works without it). JAVA_OPTS can be
# overridden per container.
ENV JAVA_OPTS="-Xmx512m -XX:-UsePerfData -Djava.util.concurrent.ForkJoinPool.common.parallelism=2"

# 8080: the gateway's HTTP API. 5701: Hazelcast membership and data. The Vert.x event bus port is
# eventBusPort (0 = random), which containers on one Docker network reach without publishing it.
EXPOSE 8080 5701

# A shell, so that $JAVA_OPTS is expanded and can be changed per container; `exec`, so that java becomes
# PID 1 and gets docker stop's SIGTERM directly: the node then leaves the cluster gracefully and hands
# its partitions over, instead of being killed and detected by missed heartbeats. The "--" fills $0,
# so that "$@" is exactly the command and flags given to the container.
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/orderbus.jar \"$@\"", "--"]

# One node per container: the default command of the jar, `cluster`, would start several JVMs in one
# container, which defeats the point of containers.
CMD ["node"]
