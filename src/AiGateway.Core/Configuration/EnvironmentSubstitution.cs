using System.Text;

namespace AiGateway.Core.Configuration;

/// <summary>Expands <c>${NAME}</c> and <c>${NAME:-default}</c> in configuration scalars.</summary>
public static class EnvironmentSubstitution
{
    /// <summary>Expands every reference in <paramref name="value"/>.</summary>
    /// <param name="value">The scalar as written.</param>
    /// <param name="lookup">Reads an environment variable; null when unset.</param>
    /// <param name="error">Why expansion failed, when it returns null.</param>
    /// <returns>The expanded value, or null on error.</returns>
    public static string? Expand(string value, Func<string, string?> lookup, out string? error)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(lookup);
        error = null;
        var start = value.IndexOf("${", StringComparison.Ordinal);
        if (start < 0)
        {
            return value;
        }

        var result = new StringBuilder(value.Length);
        var position = 0;
        while (start >= 0)
        {
            result.Append(value, position, start - position);
            var end = value.IndexOf('}', start + 2);
            if (end < 0)
            {
                error = "unterminated '${' (write ${NAME} or ${NAME:-default})";
                return null;
            }

            var body = value.AsSpan(start + 2, end - start - 2);
            var defaultAt = body.IndexOf(":-", StringComparison.Ordinal);
            var name = (defaultAt >= 0 ? body[..defaultAt] : body).ToString();
            if (!IsValidName(name))
            {
                error = $"'{name}' is not a valid environment variable name";
                return null;
            }

            var found = lookup(name);
            if (string.IsNullOrEmpty(found))
            {
                if (defaultAt < 0)
                {
                    error = $"environment variable {name} is not set (write ${{{name}:-default}} to give a default)";
                    return null;
                }

                found = body[(defaultAt + 2)..].ToString();
            }

            result.Append(found);
            position = end + 1;
            start = value.IndexOf("${", position, StringComparison.Ordinal);
        }

        result.Append(value, position, value.Length - position);
        return result.ToString();
    }

    private static bool IsValidName(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
