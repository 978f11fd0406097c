# syntax=docker/dockerfile:1
# One image per service from one file:
#   docker build --build-arg SERVICE=Policy -t trust-platform/policy .
# SERVICE is one of Policy, Accounts, Incidents, Training, Gateway. The image runs the service on port 8080 as the
# unprivileged user of the .NET images (uid 1654), in Production unless ASPNETCORE_ENVIRONMENT says otherwise; its
# arguments go to the service (`migrate` applies the migrations as ConnectionStrings__Owner and exits).

ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ARG SERVICE
# The image's architecture (set by BuildKit): the runtime identifier of the ReadyToRun code.
ARG TARGETARCH=amd64
RUN test -n "$SERVICE" || { echo "--build-arg SERVICE=<Policy|Accounts|Incidents|Training|Gateway> is required" >&2; exit 1; }
WORKDIR /src
# The project files first, so a change of code does not repeat the restore.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY libs/Trust.Platform.Contracts/Trust.Platform.Contracts.csproj libs/Trust.Platform.Contracts/
COPY libs/Trust.Platform.Data/Trust.Platform.Data.csproj libs/Trust.Platform.Data/
COPY libs/Trust.Platform.Messaging/Trust.Platform.Messaging.csproj libs/Trust.Platform.Messaging/
COPY libs/Trust.Platform.Hosting/Trust.Platform.Hosting.csproj libs/Trust.Platform.Hosting/
COPY services/${SERVICE}/Trust.Platform.${SERVICE}.csproj services/${SERVICE}/
RUN rid=linux-$([ "$TARGETARCH" = arm64 ] && echo arm64 || echo x64) && \
    dotnet restore services/${SERVICE}/Trust.Platform.${SERVICE}.csproj -r "$rid" -p:PublishReadyToRun=true
COPY libs/ libs/
COPY services/${SERVICE}/ services/${SERVICE}/
# As deploy/publish.sh: ReadyToRun, framework-dependent (cold start and memory: docs/adr/0160-memory-and-idle.md).
RUN rid=linux-$([ "$TARGETARCH" = arm64 ] && echo arm64 || echo x64) && \
    dotnet publish services/${SERVICE}/Trust.Platform.${SERVICE}.csproj -c Release --no-restore -r "$rid" --self-contained false \
      -p:PublishReadyToRun=true -p:UseAppHost=false -o /app

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
ARG SERVICE
ENV TP_SERVICE=${SERVICE} \
    ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
WORKDIR /app
COPY --from=build /app ./
# Incidents keeps its encrypted evidence here (Evidence__Path); a volume is mounted on it. Owned by the app user so
# the folder works with or without one.
RUN mkdir -p /var/lib/trust-platform/evidence && chown -R "$APP_UID:$APP_UID" /var/lib/trust-platform && chmod 0700 /var/lib/trust-platform/evidence
USER $APP_UID
EXPOSE 8080
ENTRYPOINT ["/bin/sh", "-c", "exec dotnet \"Trust.Platform.${TP_SERVICE}.dll\" \"$@\"", "--"]
