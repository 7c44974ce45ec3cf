using AiGateway.EnvoyHarness.Config;

namespace AiGateway.EnvoyHarness.Upstream;

/// <summary>
/// Host choice for one request across its attempts: priority 0 first; with <c>previous_priorities</c> every
/// <c>update_frequency</c> attempts the priorities already tried are excluded (all excluded ⇒ back to the original load,
/// i.e. priority 0); with <c>previous_hosts</c> a host already tried is re-picked up to
/// <c>host_selection_retry_max_attempts</c> times. All hosts count as healthy (no health checks or outlier detection).
/// </summary>
internal sealed class HostSelector(UpstreamCluster cluster, RetryPolicyConfig? policy)
{
    private readonly List<EndpointConfig> _attempted = [];
    private readonly HashSet<int> _excludedPriorityIndexes = [];
    private int _priorityIndex;

    public EndpointConfig? Choose()
    {
        var priorities = cluster.Config.Priorities;
        if (priorities.Count == 0 || priorities.All(p => p.Endpoints.Count == 0))
        {
            return null;
        }

        var priorityIndex = ChoosePriority(priorities);
        var tries = policy?.PreviousHostsPredicate == true ? 1 + policy.HostSelectionRetryMaxAttempts : 1;
        var host = cluster.NextHost(priorityIndex);
        for (var i = 1; i < tries && _attempted.Contains(host); i++)
        {
            host = cluster.NextHost(priorityIndex);
        }

        _attempted.Add(host);
        return host;
    }

    private int ChoosePriority(IReadOnlyList<PriorityConfig> priorities)
    {
        var firstUsable = FirstUsable(priorities, _ => false);
        if (policy?.PreviousPrioritiesUpdateFrequency is not { } frequency || _attempted.Count < frequency)
        {
            return firstUsable;
        }

        if (_attempted.Count % frequency == 0)
        {
            foreach (var host in _attempted)
            {
                _excludedPriorityIndexes.Add(IndexOf(priorities, host.Priority));
            }

            var next = FirstUsable(priorities, _excludedPriorityIndexes.Contains);
            _priorityIndex = next >= 0 ? next : firstUsable;
        }

        return _priorityIndex < 0 ? firstUsable : _priorityIndex;
    }

    private static int FirstUsable(IReadOnlyList<PriorityConfig> priorities, Func<int, bool> excluded)
    {
        for (var i = 0; i < priorities.Count; i++)
        {
            if (priorities[i].Endpoints.Count > 0 && !excluded(i))
            {
                return i;
            }
        }

        return -1;
    }

    private static int IndexOf(IReadOnlyList<PriorityConfig> priorities, int priority)
    {
        for (var i = 0; i < priorities.Count; i++)
        {
            if (priorities[i].Priority == priority)
            {
                return i;
            }
        }

        return -1;
    }
}
