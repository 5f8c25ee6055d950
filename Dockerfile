# syntax=docker/dockerfile:1
# The operator image: the shaded jar alone on a distroless Java 17 runtime, run as 65532:65532 (the chart's
# runAsUser and runAsGroup; it also mounts a writable /tmp over a read-only root filesystem).
# `./mvnw -Pimage ...` builds the same image with Jib, without a Docker engine (operator/pom.xml); ContainerImageIT
# fails when this file and that configuration name a different base image, user, entrypoint, folder or label.

# Maven 3.9 on JDK 17; ./mvnw uses the mvn on PATH.
ARG BUILD_IMAGE=maven:3.9.11-eclipse-temurin-17
# The same as image.base in pom.xml.
ARG BASE_IMAGE=gcr.io/distroless/java17-debian12:nonroot

# The jar is the same on every platform: build it once, natively, even for a multi-platform image.
FROM --platform=$BUILDPLATFORM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY operator/pom.xml operator/
COPY operator/src operator/src
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -DskipTests package

FROM ${BASE_IMAGE}
# The project's version, and the values of image.source and image.licenses in pom.xml.
ARG VERSION=0.1.0-SNAPSHOT
ARG SOURCE=NOASSERTION
ARG LICENSES=NOASSERTION
LABEL org.opencontainers.image.title="mta-sts-operator" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="${LICENSES}"
WORKDIR /app
COPY --from=build --chmod=644 /src/operator/target/mta-sts-operator.jar /app/mta-sts-operator.jar
USER 65532:65532
ENTRYPOINT ["java", "-jar", "/app/mta-sts-operator.jar"]
