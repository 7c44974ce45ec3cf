using Envoy.Service.ExtProc.V3;
using Google.Protobuf;

namespace AiGateway.EnvoyHarness.Tests.Infrastructure;

/// <summary>Builders for the replies test scripts send.</summary>
public static class ExtProcReplies
{
    /// <summary>The plain CONTINUE reply for whatever <paramref name="request"/> is.</summary>
    public static ProcessingResponse ContinueFor(ProcessingRequest request, CommonResponse? common = null)
    {
        common ??= new CommonResponse();
        return request.RequestCase switch
        {
            ProcessingRequest.RequestOneofCase.RequestHeaders => new ProcessingResponse { RequestHeaders = new HeadersResponse { Response = common } },
            ProcessingRequest.RequestOneofCase.ResponseHeaders => new ProcessingResponse { ResponseHeaders = new HeadersResponse { Response = common } },
            ProcessingRequest.RequestOneofCase.RequestBody => new ProcessingResponse { RequestBody = new BodyResponse { Response = common } },
            ProcessingRequest.RequestOneofCase.ResponseBody => new ProcessingResponse { ResponseBody = new BodyResponse { Response = common } },
            ProcessingRequest.RequestOneofCase.RequestTrailers => new ProcessingResponse { RequestTrailers = new TrailersResponse() },
            _ => new ProcessingResponse { ResponseTrailers = new TrailersResponse() },
        };
    }

    public static HeaderMutation Set(params (string Key, string Value)[] headers)
    {
        var mutation = new HeaderMutation();
        foreach (var (key, value) in headers)
        {
            mutation.SetHeaders.Add(new Envoy.Config.Core.V3.HeaderValueOption
            {
                Header = new Envoy.Config.Core.V3.HeaderValue { Key = key, RawValue = ByteString.CopyFromUtf8(value) },
            });
        }

        return mutation;
    }

    /// <summary>Answers every message with <paramref name="responder"/> (null ⇒ plain CONTINUE) until the stream ends.</summary>
    public static async Task RespondToAllAsync(ExtProcCall call, Func<ProcessingRequest, ProcessingResponse?>? responder = null)
    {
        while (await call.ReadAsync() is { } request)
        {
            await call.WriteAsync(responder?.Invoke(request) ?? ContinueFor(request));
        }
    }
}
