# b24flow in a container: `docker build -t b24flow .`, then
# `docker run --rm -v "$PWD:/work" -e B24FLOW_WEBHOOK_URL b24flow plan`.
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin b24flow

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates git \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/b24flow /usr/local/bin/b24flow
WORKDIR /work
ENTRYPOINT ["b24flow"]
