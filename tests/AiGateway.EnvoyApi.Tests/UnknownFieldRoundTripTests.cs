using Envoy.Extensions.Filters.Http.ExtProc.V3;
using Envoy.Service.ExtProc.V3;
using Envoy.Type.V3;
using Google.Protobuf;

namespace AiGateway.EnvoyApi.Tests;

/// <summary>
/// Envoy may send fields we left out of our protos and enum numbers we did not declare (proto3 enums are
/// open). Parsing must not throw, and nothing may be lost when a message is written back.
/// </summary>
public sealed class UnknownFieldRoundTripTests
{
    private const int UndeclaredBodySendMode = 7;

    [Fact]
    public void A_processing_request_with_unknown_fields_and_enum_numbers_round_trips_without_loss()
    {
        var known = new ProcessingRequest
        {
            RequestHeaders = new HttpHeaders
            {
                Headers = new Envoy.Config.Core.V3.HeaderMap
                {
                    Headers = { new Envoy.Config.Core.V3.HeaderValue { Key = ":path", RawValue = ByteString.CopyFromUtf8("/v1/chat/completions") } },
                },
                EndOfStream = false,
            },
            ProtocolConfig = new ProtocolConfiguration
            {
                RequestBodyMode = (ProcessingMode.Types.BodySendMode)UndeclaredBodySendMode,
                ResponseBodyMode = ProcessingMode.Types.BodySendMode.FullDuplexStreamed,
            },
        };

        // Field 12 is upstream's flow_control_init (a message we omit) and field 4000 is unknown to
        // everyone; both are appended after the known fields, which is where re-serialization puts them.
        byte[] wire;
        using (var buffer = new MemoryStream())
        {
            known.WriteTo(buffer);
            var output = new CodedOutputStream(buffer, leaveOpen: true);
            output.WriteTag(12, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(FlowControlInit(initialWindow: 65536));
            output.WriteTag(4000, WireFormat.WireType.Varint);
            output.WriteUInt64(42);
            output.Flush();
            wire = buffer.ToArray();
        }

        var parsed = ProcessingRequest.Parser.ParseFrom(wire);

        Assert.Equal(ProcessingRequest.RequestOneofCase.RequestHeaders, parsed.RequestCase);
        Assert.Equal("/v1/chat/completions", parsed.RequestHeaders.Headers.Headers[0].RawValue.ToStringUtf8());
        Assert.Equal(UndeclaredBodySendMode, (int)parsed.ProtocolConfig.RequestBodyMode);
        Assert.Equal(ProcessingMode.Types.BodySendMode.FullDuplexStreamed, parsed.ProtocolConfig.ResponseBodyMode);
        Assert.Equal(wire, parsed.ToByteArray());
    }

    [Fact]
    public void An_undeclared_status_code_in_an_immediate_response_is_kept_as_its_number()
    {
        var response = new ProcessingResponse
        {
            ImmediateResponse = new ImmediateResponse
            {
                Status = new HttpStatus { Code = (StatusCode)418 },
                Body = ByteString.CopyFromUtf8("teapot"),
            },
        };

        var parsed = ProcessingResponse.Parser.ParseFrom(response.ToByteArray());

        Assert.Equal(418, (int)parsed.ImmediateResponse.Status.Code);
        Assert.Equal(response, parsed);
    }

    private static ByteString FlowControlInit(long initialWindow)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer, leaveOpen: true);
        output.WriteTag(1, WireFormat.WireType.Varint);
        output.WriteInt64(initialWindow);
        output.Flush();
        return ByteString.CopyFrom(buffer.ToArray());
    }
}
