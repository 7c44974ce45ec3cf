using System.Reflection;
using Grpc.Core;

namespace AiGateway.EnvoyApi.Tests;

/// <summary>
/// Envoy calls our services by HTTP/2 path, so the service full name, method name and streaming kind
/// must match upstream exactly.
/// </summary>
public sealed class GrpcServiceTests
{
    [Theory]
    [InlineData(
        "/envoy.service.ext_proc.v3.ExternalProcessor/Process",
        true,
        true,
        "envoy.service.ext_proc.v3.ProcessingRequest",
        "envoy.service.ext_proc.v3.ProcessingResponse")]
    [InlineData(
        "/envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit",
        false,
        false,
        "envoy.service.ratelimit.v3.RateLimitRequest",
        "envoy.service.ratelimit.v3.RateLimitResponse")]
    public void Service_method_has_the_upstream_path_streaming_kind_and_message_types(
        string path,
        bool clientStreaming,
        bool serverStreaming,
        string inputType,
        string outputType)
    {
        var method = OurProtos.Services
            .SelectMany(s => s.Methods.Select(m => (Path: $"/{s.FullName}/{m.Name}", Method: m)))
            .SingleOrDefault(x => x.Path == path)
            .Method;

        Assert.True(method is not null, $"No service method with path {path}");
        Assert.Equal(clientStreaming, method.IsClientStreaming);
        Assert.Equal(serverStreaming, method.IsServerStreaming);
        Assert.Equal(inputType, method.InputType.FullName);
        Assert.Equal(outputType, method.OutputType.FullName);
    }

    [Fact]
    public void Only_the_external_processor_and_rate_limit_services_are_declared()
    {
        var paths = OurProtos.Services
            .SelectMany(s => s.Methods.Select(m => $"/{s.FullName}/{m.Name}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(
            new[]
            {
                "/envoy.service.ext_proc.v3.ExternalProcessor/Process",
                "/envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit",
            },
            paths);
    }

    [Theory]
    [InlineData(typeof(Envoy.Service.ExtProc.V3.ExternalProcessor), "__Method_Process", "/envoy.service.ext_proc.v3.ExternalProcessor/Process", MethodType.DuplexStreaming)]
    [InlineData(typeof(Envoy.Service.Ratelimit.V3.RateLimitService), "__Method_ShouldRateLimit", "/envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit", MethodType.Unary)]
    public void Generated_grpc_method_uses_the_upstream_path_and_call_type(Type serviceClass, string fieldName, string path, MethodType type)
    {
        // The generated grpc::Method object is what the server actually binds, so check it as well as the descriptor.
        var method = serviceClass.GetField(fieldName, BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null) as IMethod;

        Assert.True(method is not null, $"{serviceClass.FullName}.{fieldName} not found; did the generated code change shape?");
        Assert.Equal(path, method.FullName);
        Assert.Equal(type, method.Type);
    }
}
