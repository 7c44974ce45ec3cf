using System.Globalization;
using AiGateway.EnvoyHarness.Config;
using AiGateway.EnvoyHarness.Http;
using Envoy.Service.ExtProc.V3;

namespace AiGateway.EnvoyHarness.ExtProc;

/// <summary>Applies an ext_proc <see cref="HeaderMutation"/> the way Envoy does (envoy-protocol.md §2.7, §2.6 content-length).</summary>
internal static class HeaderMutationApplier
{
    private const int MaxHeaderCount = 100;

    /// <param name="headers">The map to change.</param>
    /// <param name="mutation">The processor's mutation (null = nothing).</param>
    /// <param name="rules">The filter's mutation rules.</param>
    /// <param name="isResponse">True for response headers (<c>:status</c> may be set to a number ≥ 200).</param>
    /// <param name="dropContentLengthSet">True while a content-length stripping body mode is in force.</param>
    /// <param name="allowMethod">True in a CONTINUE_AND_REPLACE headers reply.</param>
    /// <param name="rejected">Called once per ignored operation (<c>rejected_header_mutations</c>).</param>
    public static MutationResult Apply(
        HeaderMap headers,
        HeaderMutation? mutation,
        MutationRulesConfig rules,
        bool isResponse,
        bool dropContentLengthSet,
        bool allowMethod,
        Action rejected)
    {
        if (mutation is null)
        {
            return MutationResult.Ok;
        }

        if (mutation.SetHeaders.Count > MaxHeaderCount || mutation.RemoveHeaders.Count > MaxHeaderCount)
        {
            return new MutationResult("ext_proc_error_too_many_header_mutations");
        }

        foreach (var removeName in mutation.RemoveHeaders)
        {
            var name = removeName.ToLowerInvariant();
            if (!IsValidName(name))
            {
                return new MutationResult("ext_proc_error_invalid_header_name");
            }

            if (name.StartsWith(':') || name == "host" || !MutationRuleChecker.IsAllowed(rules, name, isAppend: false))
            {
                rejected();
                if (rules.DisallowIsError)
                {
                    return new MutationResult("ext_proc_error_disallowed_header_removal");
                }

                continue;
            }

            headers.Remove(name);
        }

        foreach (var option in mutation.SetHeaders)
        {
            var name = (option.Header?.Key ?? string.Empty).ToLowerInvariant();
            var value = option.Header is null ? string.Empty : ProtoHeaders.MutationValue(option.Header);
            if (!IsValidName(name))
            {
                return new MutationResult("ext_proc_error_invalid_header_name");
            }

            if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                return new MutationResult("ext_proc_error_invalid_header_value");
            }

            var append = option.Append ?? false;
            if (name == "content-length" && dropContentLengthSet)
            {
                continue;
            }

            var allowed = MutationRuleChecker.IsAllowed(rules, name, append, allowMethod);
            if (allowed && name == ":status")
            {
                allowed = isResponse && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status >= 200;
            }

            if (!allowed)
            {
                rejected();
                if (rules.DisallowIsError)
                {
                    return new MutationResult("ext_proc_error_disallowed_header_mutation");
                }

                continue;
            }

            if (append)
            {
                headers.Append(name, value);
            }
            else
            {
                headers.Set(name, value);
            }
        }

        return MutationResult.Ok;
    }

    private static bool IsValidName(string name)
    {
        if (name.Length == 0 || name == ":")
        {
            return false;
        }

        foreach (var c in name.AsSpan(name.StartsWith(':') ? 1 : 0))
        {
            if (c <= ' ' || c >= 127 || c == ':' || "()<>@,;\\\"/[]?={}".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
