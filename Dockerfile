# Builds the gateway's two images from one source tree:
#   docker build --target aigw -t aigateway/aigw .            (aigw: serve extproc, serve ratelimit, validate, ...)
#   docker build --target mock-provider -t aigateway/mock .   (OpenAI-compatible mock LLM for trials)
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/AiGateway.Cli/AiGateway.Cli.csproj -c Release -o /out/aigw \
 && dotnet publish src/AiGateway.MockProvider/AiGateway.MockProvider.csproj -c Release -o /out/mock-provider

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS aigw
WORKDIR /app
COPY --from=build /out/aigw .
USER app
EXPOSE 50051 9090 8081 6070
ENTRYPOINT ["/app/aigw"]
CMD ["serve", "extproc", "--config", "/etc/aigw/gateway.yaml", "--listen", "0.0.0.0:50051", "--admin", "0.0.0.0:9090"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS mock-provider
WORKDIR /app
COPY --from=build /out/mock-provider .
USER app
EXPOSE 8080
ENTRYPOINT ["dotnet", "/app/AiGateway.MockProvider.dll"]
CMD ["--urls", "http://0.0.0.0:8080"]
