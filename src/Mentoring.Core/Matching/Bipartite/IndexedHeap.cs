namespace Mentoring.Core.Matching.Bipartite;

/// <summary>Binary min-heap over ids 0..capacity-1 with decrease-key; Clear is O(size).</summary>
internal sealed class IndexedHeap
{
    private readonly int[] _ids;
    private readonly long[] _keys;
    private readonly int[] _position;
    private int _count;

    public IndexedHeap(int capacity)
    {
        _ids = new int[capacity];
        _keys = new long[capacity];
        _position = new int[capacity];
        Array.Fill(_position, -1);
    }

    public int Count => _count;

    /// <summary>The smallest key; only when Count &gt; 0.</summary>
    public long MinKey => _keys[0];

    /// <summary>The id with the smallest key; only when Count &gt; 0.</summary>
    public int MinId => _ids[0];

    public bool Contains(int id) => _position[id] >= 0;

    public void Clear()
    {
        for (int k = 0; k < _count; k++)
        {
            _position[_ids[k]] = -1;
        }

        _count = 0;
    }

    /// <summary>Inserts id with key, or lowers its key; a higher key for an id already in the heap is ignored.</summary>
    public void PushOrDecrease(int id, long key)
    {
        int at = _position[id];
        if (at < 0)
        {
            at = _count++;
        }
        else if (key >= _keys[at])
        {
            return;
        }

        // Sift up from at.
        while (at > 0)
        {
            int parent = (at - 1) >> 1;
            if (_keys[parent] <= key)
            {
                break;
            }

            _ids[at] = _ids[parent];
            _keys[at] = _keys[parent];
            _position[_ids[at]] = at;
            at = parent;
        }

        _ids[at] = id;
        _keys[at] = key;
        _position[id] = at;
    }

    public int PopMin(out long key)
    {
        if (_count == 0)
        {
            throw new InvalidOperationException("The heap is empty.");
        }

        int top = _ids[0];
        key = _keys[0];
        _position[top] = -2; // Popped: Contains is false, and a later push re-inserts only after Clear.
        _count--;
        if (_count > 0)
        {
            int lastId = _ids[_count];
            long lastKey = _keys[_count];
            int at = 0;
            while (true)
            {
                int child = (2 * at) + 1;
                if (child >= _count)
                {
                    break;
                }

                if (child + 1 < _count && _keys[child + 1] < _keys[child])
                {
                    child++;
                }

                if (_keys[child] >= lastKey)
                {
                    break;
                }

                _ids[at] = _ids[child];
                _keys[at] = _keys[child];
                _position[_ids[at]] = at;
                at = child;
            }

            _ids[at] = lastId;
            _keys[at] = lastKey;
            _position[lastId] = at;
        }

        return top;
    }
}
