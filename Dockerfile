# b24flow in a container: `docker build -t b24flow .`, then
# `docker run --rm -v "$PWD:/work" -e B24FLOW_WEBHOOK_URL b24flow plan`.
#
# The always-on runner (docs/runner.md) is the `runner` stage:
#   docker build --target runner -t b24flow-runner .
#   docker run -d --restart unless-stopped --name b24flow-runner \
#     -v "$PWD:/work" -v b24flow-state:/state \
#     -e B24FLOW_PORTAL_URL -e B24FLOW_CLIENT_ID -e B24FLOW_CLIENT_SECRET -e B24FLOW_REFRESH_TOKEN \
#     b24flow-runner
# /work is the project checkout (its lockfiles say what to run; the rotated OAuth
# refresh token is written to its .b24flow/); /state keeps the runner's idempotency
# keys, which must outlive the container.
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin b24flow

FROM debian:bookworm-slim AS base
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates git \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/b24flow /usr/local/bin/b24flow
WORKDIR /work
ENTRYPOINT ["b24flow"]

FROM base AS runner
VOLUME ["/state"]
# `b24flow run` stops between passes on SIGINT (Ctrl-C); `docker stop` sends SIGTERM
# unless told otherwise. A kill mid-pass is safe too: every effect has a key in /state.
STOPSIGNAL SIGINT
CMD ["run", "--state", "/state/runner.sqlite"]

# The default target (last stage): the command-line tool.
FROM base AS cli
