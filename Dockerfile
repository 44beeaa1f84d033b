# Junction in a container. Not exercised by the test suite (no container engine on the build
# machines); the tested path is `./junction serve` with `database: postgresql://…` and `redis:`.
#   docker build -t junction .
#   docker run -p 127.0.0.1:3000:3000 -v junction-data:/var/lib/junction \
#     -v $PWD/junction.yaml:/etc/junction/junction.yaml:ro -e JUNCTION_MASTER_KEY=… junction

# --- build: the shaded jar -------------------------------------------------------------------------
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -ntp -q dependency:go-offline
COPY src/ src/
RUN ./mvnw -B -ntp -q -DskipTests package

# --- run: a JRE, an unprivileged user, state in one volume ------------------------------------------
FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 junction \
    && useradd --system --uid 10001 --gid junction --home-dir /var/lib/junction --shell /usr/sbin/nologin junction \
    && mkdir -p /var/lib/junction /etc/junction \
    && chown junction:junction /var/lib/junction
COPY --from=build /src/target/junction.jar /opt/junction/junction.jar
# SQLite database (sqlite:./data/junction.db), data/master.key when JUNCTION_MASTER_KEY is not set.
VOLUME ["/var/lib/junction"]
WORKDIR /var/lib/junction
USER junction
EXPOSE 3000
ENV JUNCTION_JAVA_OPTS="-XX:+UseSerialGC -Xms96m -Xmn64m -Xmx512m"
# 200 from /health while the server runs (also when Redis is down: the body then says "degraded").
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/3000 && printf "GET /health HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && head -1 <&3 | grep -q " 200 "'
# The config file is optional: without it the built-in defaults (port 3000, SQLite under ./data).
ENTRYPOINT ["sh", "-c", "exec java $JUNCTION_JAVA_OPTS -jar /opt/junction/junction.jar serve --listen 0.0.0.0:3000 $( [ -f /etc/junction/junction.yaml ] && echo --config /etc/junction/junction.yaml )"]
