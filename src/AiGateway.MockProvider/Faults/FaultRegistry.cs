namespace AiGateway.MockProvider.Faults;

/// <summary>The fault rules in force, changeable at runtime from any thread.</summary>
internal sealed class FaultRegistry
{
    private readonly Lock _gate = new();
    private readonly List<FaultSlot> _slots = [];

    public void Add(FaultRule rule)
    {
        lock (_gate)
        {
            _slots.Add(new FaultSlot(rule));
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _slots.Clear();
        }
    }

    /// <summary>Rules that still have uses left, in order.</summary>
    public IReadOnlyList<FaultRule> Snapshot()
    {
        lock (_gate)
        {
            return [.. _slots.Select(static s => s.Rule)];
        }
    }

    /// <summary>
    /// Finds the first rule matching <paramref name="path"/> (ordinal prefix) and <paramref name="model"/>,
    /// consumes one of its uses, and returns it; <see langword="null"/> when none matches. With
    /// <paramref name="scope"/>, only rules whose prefix starts with it apply (catch-all rules are skipped).
    /// </summary>
    public FaultRule? TryConsume(string path, string? model, string? scope = null)
    {
        lock (_gate)
        {
            for (var i = 0; i < _slots.Count; i++)
            {
                var slot = _slots[i];
                if (!path.StartsWith(slot.Rule.PathPrefix, StringComparison.Ordinal)
                    || (scope is not null && !slot.Rule.PathPrefix.StartsWith(scope, StringComparison.Ordinal)))
                {
                    continue;
                }

                if (slot.Rule.Model is not null && !string.Equals(slot.Rule.Model, model, StringComparison.Ordinal))
                {
                    continue;
                }

                if (slot.Remaining > 0 && --slot.Remaining == 0)
                {
                    _slots.RemoveAt(i);
                }

                return slot.Rule;
            }

            return null;
        }
    }
}
