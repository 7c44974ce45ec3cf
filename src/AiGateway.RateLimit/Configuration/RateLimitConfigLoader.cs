namespace AiGateway.RateLimit.Configuration;

/// <summary>
/// Loads envoyproxy/ratelimit YAML files into a <see cref="RateLimitConfig"/>, with the reference service's checks and
/// error wording: every error is reported (prefixed with its file name) and any error fails the whole load.
/// </summary>
public sealed class RateLimitConfigLoader
{
    private readonly bool _mergeDomainConfigs;

    /// <summary>Creates a loader.</summary>
    /// <param name="mergeDomainConfigs">Let several files share a domain (the reference's <c>MERGE_DOMAIN_CONFIG</c>).</param>
    public RateLimitConfigLoader(bool mergeDomainConfigs = false)
    {
        _mergeDomainConfigs = mergeDomainConfigs;
    }

    /// <summary>The config files of a directory (<c>*.yaml</c> and <c>*.yml</c>, not recursive, in name order), or a single file.</summary>
    public static IReadOnlyList<RateLimitConfigFile> ReadFiles(string path)
    {
        if (File.Exists(path))
        {
            return [new RateLimitConfigFile(Path.GetFileName(path), File.ReadAllText(path))];
        }

        return Directory.EnumerateFiles(path)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(f => new RateLimitConfigFile(Path.GetFileName(f), File.ReadAllText(f)))
            .ToArray();
    }

    /// <summary>Loads a directory of config files (or one file).</summary>
    public RateLimitConfigLoadResult LoadPath(string path)
    {
        IReadOnlyList<RateLimitConfigFile> files;
        try
        {
            files = ReadFiles(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new RateLimitConfigLoadResult(null, [new RateLimitConfigError(path, $"error reading config: {e.Message}")], 0);
        }

        return Load(files);
    }

    /// <summary>Loads a set of files into one configuration.</summary>
    public RateLimitConfigLoadResult Load(IReadOnlyList<RateLimitConfigFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var errors = new List<RateLimitConfigError>();
        var domains = new Dictionary<string, DescriptorNode>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var document = RateLimitConfigReader.Read(file, errors);
            if (document is null)
            {
                continue;
            }

            if (document.Domain.Length == 0)
            {
                errors.Add(new RateLimitConfigError(file.Name, "config file cannot have empty domain"));
                continue;
            }

            if (domains.TryGetValue(document.Domain, out var root))
            {
                if (!_mergeDomainConfigs)
                {
                    errors.Add(new RateLimitConfigError(file.Name, $"duplicate domain '{document.Domain}' in config file"));
                    continue;
                }
            }
            else
            {
                root = new DescriptorNode(string.Empty, string.Empty, null, shareThreshold: false, valueToMetric: false);
                domains[document.Domain] = root;
            }

            LoadDescriptors(file.Name, root, document.Domain + ".", document.Descriptors, errors);
        }

        return errors.Count == 0
            ? new RateLimitConfigLoadResult(new RateLimitConfig(domains), [], files.Count)
            : new RateLimitConfigLoadResult(null, errors, files.Count);
    }

    private static void LoadDescriptors(string fileName, DescriptorNode parent, string parentKey, List<DescriptorConfig> descriptors, List<RateLimitConfigError> errors)
    {
        foreach (var descriptor in descriptors)
        {
            if (descriptor.Key.Length == 0)
            {
                errors.Add(new RateLimitConfigError(fileName, "descriptor has empty key"));
                continue;
            }

            var compositeKey = DescriptorNode.CompositeKey(descriptor.Key, descriptor.Value);
            var fullKey = parentKey + compositeKey;
            var rule = descriptor.RateLimit is { } limit ? Rule(fileName, fullKey, limit, descriptor, errors) : null;
            if (descriptor.ShareThreshold && !Wildcard.IsPattern(descriptor.Value))
            {
                errors.Add(new RateLimitConfigError(fileName, $"share_threshold can only be used with wildcard values (ending with '*'), but found key '{compositeKey}'"));
            }

            var node = new DescriptorNode(descriptor.Key, descriptor.Value, rule, descriptor.ShareThreshold, descriptor.ValueToMetric);
            if (!parent.TryAdd(node))
            {
                errors.Add(new RateLimitConfigError(fileName, $"duplicate descriptor composite key '{fullKey}'"));
                continue;
            }

            LoadDescriptors(fileName, node, fullKey + ".", descriptor.Descriptors, errors);
        }
    }

    private static LimitRule? Rule(string fileName, string fullKey, RateLimitValueConfig limit, DescriptorConfig descriptor, List<RateLimitConfigError> errors)
    {
        var before = errors.Count;
        var validUnit = RateLimitUnits.TryParse(limit.Unit, out var unit);
        if (limit.Unlimited && validUnit)
        {
            errors.Add(new RateLimitConfigError(fileName, "should not specify rate limit unit when unlimited"));
        }
        else if (!limit.Unlimited && !validUnit)
        {
            errors.Add(new RateLimitConfigError(fileName, $"invalid rate limit unit '{limit.Unit}'"));
        }

        foreach (var replaced in limit.Replaces)
        {
            if (replaced.Length == 0)
            {
                errors.Add(new RateLimitConfigError(fileName, "should not have an empty replaces entry"));
            }
            else if (string.Equals(replaced, limit.Name, StringComparison.Ordinal))
            {
                errors.Add(new RateLimitConfigError(fileName, "replaces should not contain name of same descriptor"));
            }
        }

        if (errors.Count > before)
        {
            return null;
        }

        return new LimitRule(limit.RequestsPerUnit, unit, fullKey, limit.Name)
        {
            Unlimited = limit.Unlimited,
            Replaces = limit.Replaces.ToArray(),
            ShadowMode = descriptor.ShadowMode,
            QuotaMode = descriptor.QuotaMode,
            DetailedMetric = descriptor.DetailedMetric,
            Metadata = descriptor.Metadata,
        };
    }
}
