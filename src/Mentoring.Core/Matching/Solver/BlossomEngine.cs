using Mentoring.Core.Matching.Bipartite;

namespace Mentoring.Core.Matching.Solver;

/// <summary>
/// Primal-dual weighted blossom algorithm (Edmonds; O(n^3) organisation as in Galil's 1986 survey),
/// written for integer weights. All duals are kept scaled by 2 (vertex dual U, blossom dual Z) so an
/// edge (i,j) of weight w between different outermost blossoms has slack U[i] + U[j] - 2w.
///
/// Ids 0..n-1 are vertices, n..2n-1 are blossoms. Only outermost blossoms carry a label
/// (free, S = even/outer, T = odd/inner). Alternating trees grow from every exposed vertex whose
/// dual is positive; an augmentation (or a vertex dual reaching zero) dissolves only the one or two
/// trees involved, the other trees keep their labels. Best-edge pointers that a dissolution made
/// stale are repaired lazily when they are next read.
/// </summary>
internal sealed class BlossomEngine
{
    private const byte Free = 0;
    private const byte SLabel = 1;
    private const byte TLabel = 2;

    private readonly int _n;
    private readonly int[] _adjStart;
    private readonly int[] _adjNbr;
    private readonly int[] _adjOwner;
    private readonly long[] _adjW;

    // Duals (scaled by 2). _dual[v] for vertices, _dual[b] for blossoms (b >= n).
    private readonly long[] _dual;
    private readonly int[] _mate;
    // Outermost blossom of vertex v: _outer[_rep[v]]. Every vertex of an outermost blossom B names the same
    // representative vertex (_blossomRep[B], one of B's vertices), so forming a blossom only renames the vertices of
    // its smaller children: the largest child (_repChild) keeps its representative. A big blossom that keeps
    // absorbing small ones therefore costs only the small ones each time instead of all its vertices.
    private readonly int[] _rep;
    private readonly int[] _outer;
    private readonly int[] _blossomRep;
    private readonly int[] _repChild;
    private readonly int[] _leafCount;
    private readonly int[] _parent;
    private readonly int[] _baseOf;
    private readonly int[]?[] _childs;
    private readonly int[]?[] _linkX;
    private readonly int[]?[] _linkY;
    private readonly byte[] _label;
    private readonly int[] _labelFrom;
    private readonly int[] _labelTo;
    // _bestToS[x]: the least-slack edge from non-S vertex x to an S vertex, by its S end and weight. Keeping the end and
    // the weight here, not the edge's adjacency position, spares the hot loops two random reads into the adjacency
    // arrays (the largest arrays of the solve) each time a pointer is checked.
    private readonly BestToS[] _bestToS;
    private readonly int[] _freeIds;
    private int _freeCount;

    private int[] _queue;
    private int _qHead;
    private int _qTail;
    private readonly int[] _treeOf;
    private readonly List<int>?[] _treeMembers;
    private int _liveTrees;
    private readonly List<int> _freed = new();

    /// <summary>Zero-dual blossoms waiting for their end-of-stage expansion (see <see cref="ExpandZeroDualNest"/>).</summary>
    private readonly Stack<int> _zeroDualNest = new();

    /// <summary>Sub-blossoms still to flip during an augmentation (see <see cref="AugmentBlossom"/>).</summary>
    private readonly Stack<(int Blossom, int Base)> _pendingFlips = new();
    private readonly List<int> _chain = new();
    private readonly List<int> _pendingTight = new();

    // Lazy duals: the stored _dual of an S vertex is U + D, of a T vertex U - D, of an outermost S blossom Z - 2D,
    // of an outermost T blossom Z + 2D, where D (_offset) is the sum of all dual steps so far. The state arrays
    // say which convention a stored value uses; they follow the labels.
    private long _offset;
    private readonly byte[] _vState;
    private readonly byte[] _bState;
    // For an outermost blossom b: the convention all of b's vertices use. An expanded blossom's children inherit it, so
    // a child whose vertices already use the wanted convention is not walked again: expanding a nest one level at a
    // time walked the whole remaining nest at every level (quadratic in its depth, which reaches 50,000 at 1M people).
    private readonly byte[] _leafState;

    // Lazy-deletion heaps for the four dual-step candidates (stale entries are skipped when they surface).
    private readonly PriorityQueue<int, long> _heapVertex = new(); // delta1: S vertex duals (key = stored dual)
    // delta2: free vertex, key = slack + D. One entry per vertex, lowered in place: a vertex's best edge to S improves
    // many times while trees grow, and a heap of every offer held about 7 million entries on the 100k graph.
    private readonly IndexedHeap _heapFree;
    private readonly PriorityQueue<int, long> _heapSS = new(); // delta3: edge between S blossoms, key = slack + 2D
    private readonly PriorityQueue<int, long> _heapT = new(); // delta4: T blossom, key = stored dual
    private readonly int[] _mark;
    private int _markStamp;
    private readonly int[] _stack;
    private readonly List<int> _pathA = new();
    private readonly List<int> _pathB = new();

    public BlossomEngine(WeightedGraph graph)
    {
        _n = graph.NodeCount;
        int n = _n;
        int m = graph.EdgeCount;
        SSHeapLimit = 2L * m + (1 << 16);
        var eu = graph.EdgeU;
        var ev = graph.EdgeV;
        var ew = graph.EdgeWeight;

        _heapFree = new IndexedHeap(n);
        _adjStart = new int[n + 1];
        for (int e = 0; e < m; e++)
        {
            _adjStart[eu[e] + 1]++;
            _adjStart[ev[e] + 1]++;
        }

        for (int v = 0; v < n; v++)
        {
            _adjStart[v + 1] += _adjStart[v];
        }

        _adjNbr = new int[2 * m];
        _adjOwner = new int[2 * m];
        _adjW = new long[2 * m];
        var fill = new int[n];
        Array.Copy(_adjStart, fill, n);
        for (int e = 0; e < m; e++)
        {
            int u = eu[e], v = ev[e];
            long w = ew[e];
            int pu = fill[u]++;
            _adjNbr[pu] = v;
            _adjOwner[pu] = u;
            _adjW[pu] = w;
            int pv = fill[v]++;
            _adjNbr[pv] = u;
            _adjOwner[pv] = v;
            _adjW[pv] = w;
        }

        _dual = new long[2 * n];
        _mate = new int[n];
        _rep = new int[n];
        _outer = new int[n];
        _blossomRep = new int[2 * n];
        _repChild = new int[2 * n];
        _leafCount = new int[2 * n];
        _parent = new int[2 * n];
        _baseOf = new int[2 * n];
        _childs = new int[]?[2 * n];
        _linkX = new int[]?[2 * n];
        _linkY = new int[]?[2 * n];
        _label = new byte[2 * n];
        _labelFrom = new int[2 * n];
        _labelTo = new int[2 * n];
        _bestToS = new BestToS[n];
        _freeIds = new int[n];
        _queue = new int[Math.Max(16, n)];
        _treeOf = new int[2 * n];
        _vState = new byte[n];
        _bState = new byte[2 * n];
        _leafState = new byte[2 * n];
        _treeMembers = new List<int>?[n];
        _mark = new int[2 * n];
        _stack = new int[2 * n];
        for (int i = 0; i < 2 * n; i++)
        {
            _parent[i] = -1;
            _baseOf[i] = i < n ? i : -1;
        }

        for (int v = 0; v < n; v++)
        {
            _mate[v] = -1;
            _rep[v] = v;
            _outer[v] = v;
            _blossomRep[v] = v;
            _leafCount[v] = 1;
            _bestToS[v].End = -1;
        }

        _freeCount = 0;
        for (int b = 2 * n - 1; b >= n; b--)
        {
            _freeIds[_freeCount++] = b;
        }
    }

    public int[] Mate => _mate;

    /// <summary>
    /// Entries the lazy S-S edge heap may hold before its stale ones are dropped (memory only: compacting keeps every
    /// live entry). Tests lower it to compact at every dual step, which production graphs only reach at scale.
    /// </summary>
    internal long SSHeapLimit { get; set; }

    /// <summary>Counters for diagnostics and benchmarks.</summary>
    public long StatDualSteps { get; private set; }

    public long StatScans { get; private set; }

    public long StatFreed { get; private set; }

    /// <summary>
    /// Steps taken inside nested blossoms: vertices and sub-blossoms visited to change a blossom's dual convention, and
    /// levels walked to find where a new base sits. Linear in the nest's size per event, not in its depth squared.
    /// </summary>
    public long StatNestSteps { get; private set; }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private long Slack(int p) => VDual(_adjOwner[p]) + VDual(_adjNbr[p]) - 2 * _adjW[p];

    /// <summary>Slack of x's best edge to S (<see cref="_bestToS"/>, which must be set).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private long BestSlack(int x) => VDual(_bestToS[x].End) + VDual(x) - _bestToS[x].Weight2;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private long VDual(int v)
    {
        byte st = _vState[v];
        return st == SLabel ? _dual[v] - _offset : st == TLabel ? _dual[v] + _offset : _dual[v];
    }

    private long BDual(int b)
    {
        byte st = _bState[b];
        return st == SLabel ? _dual[b] + 2 * _offset : st == TLabel ? _dual[b] - 2 * _offset : _dual[b];
    }

    private void SetVState(int v, byte st)
    {
        if (_vState[v] == st)
        {
            return;
        }

        long actual = VDual(v);
        _vState[v] = st;
        _dual[v] = st == SLabel ? actual + _offset : st == TLabel ? actual - _offset : actual;
        if (st == SLabel)
        {
            _heapVertex.Enqueue(v, _dual[v]);
        }
    }

    private void SetBState(int b, byte st)
    {
        if (_bState[b] == st)
        {
            return;
        }

        long actual = BDual(b);
        _bState[b] = st;
        _dual[b] = st == SLabel ? actual - 2 * _offset : st == TLabel ? actual + 2 * _offset : actual;
        if (st == TLabel)
        {
            _heapT.Enqueue(b, _dual[b]);
        }
    }

    /// <summary>Puts outermost blossom (or vertex) b and all its vertices under the dual convention of label st.</summary>
    private void SetDualStates(int b, byte st)
    {
        if (b < _n)
        {
            SetVState(b, st);
            return;
        }

        SetBState(b, st);
        if (_leafState[b] == st)
        {
            return;
        }

        _leafState[b] = st;
        int top = 0;
        _stack[top++] = b;
        while (top > 0)
        {
            StatNestSteps++;
            int x = _stack[--top];
            if (x < _n)
            {
                SetVState(x, st);
            }
            else
            {
                foreach (int c in _childs[x]!)
                {
                    _stack[top++] = c;
                }
            }
        }
    }

    /// <summary>Turns the lazily stored duals back into plain values (all states free).</summary>
    private void MaterializeDuals()
    {
        for (int v = 0; v < _n; v++)
        {
            SetVState(v, Free);
        }

        for (int b = _n; b < 2 * _n; b++)
        {
            SetBState(b, Free);
        }
    }

    /// <summary>Runs the algorithm to optimality.</summary>
    public void Run() => Run(null);

    /// <summary>Runs the algorithm to optimality, starting from <paramref name="warm"/> when given (see <see cref="WarmStart"/>).</summary>
    public void Run(MatchingSolution? warm)
    {
        if (warm == null)
        {
            InitialDualsAndGreedy();
        }
        else
        {
            WarmStart(warm);
        }

        int n = _n;
        for (int v = 0; v < n; v++)
        {
            if (_mate[v] < 0 && _dual[v] > 0)
            {
                _treeMembers[v] ??= new List<int>();
                _liveTrees++;
                AssignS(v, v);
            }
        }

        while (_liveTrees > 0)
        {
            while (_qHead < _qTail)
            {
                int v = _queue[_qHead++];
                if (_label[Top(v)] == SLabel)
                {
                    Scan(v);
                }
            }

            if (_liveTrees == 0)
            {
                break;
            }

            if (_pendingTight.Count > 0)
            {
                ProcessPendingTight();
                continue;
            }

            DualStep();
        }

        MaterializeDuals();
    }

    /// <summary>
    /// Jump start: each vertex dual is its largest incident weight (scaled duals U = 2y, so U[v] = max w
    /// means y[v] = max w / 2), which is feasible. Every edge that is the largest at both ends is then
    /// tight and can be matched greedily. Exposed vertices are rounded up to even duals so that all tree
    /// roots share one parity, which keeps every dual change an integer.
    /// </summary>
    private void InitialDualsAndGreedy()
    {
        int n = _n;
        for (int v = 0; v < n; v++)
        {
            long best = 0;
            for (int p = _adjStart[v]; p < _adjStart[v + 1]; p++)
            {
                if (_adjW[p] > best)
                {
                    best = _adjW[p];
                }
            }

            _dual[v] = best;
        }

        LowerDuals();
        GreedyOnTightEdges();
    }

    /// <summary>
    /// Start from an earlier optimum (typically of a subgraph of this graph): its vertex duals, each blossom's dual
    /// split evenly over its members (rounded up; exact for edges inside the blossom, only more slack elsewhere), so
    /// the start is dual feasible without blossoms; every edge still violated (new edges) is repaired by raising one
    /// end's dual; every dual is lowered to what its edges need; then every earlier matched edge that is still tight
    /// stays matched. The algorithm then only has to match the few vertices this exposed. All duals stay integers
    /// (scaled by 2), so the result is exact as usual.
    /// </summary>
    private void WarmStart(MatchingSolution warm)
    {
        int n = _n;
        long[] u2 = warm.Duals.VertexDual2x;
        if (u2.Length != n || warm.Mate.Length != n)
        {
            throw new ArgumentException("The warm start belongs to a graph with another node count.", nameof(warm));
        }

        Array.Copy(u2, _dual, n);
        foreach (var b in warm.Duals.Blossoms)
        {
            long half = (b.Dual2x + 1) / 2;
            if (half <= 0)
            {
                continue;
            }

            foreach (int x in b.Members)
            {
                _dual[x] += half;
            }
        }

        for (int v = 0; v < n; v++)
        {
            if (_dual[v] < 0)
            {
                _dual[v] = 0;
            }
        }

        // Raising a dual only adds slack to the other edges, so one pass leaves every edge feasible. A matched vertex
        // that is raised loses its matched edge, so the raise goes to the end that is exposed anyway when there is
        // one, and otherwise to the end with more violated edges: one raise then repairs them all (a vertex that
        // pricing found violated against many, with its most violated pairs added, costs one tree, not one per pair).
        int[] mate = warm.Mate;
        var violated = new int[n];
        for (int v = 0; v < n; v++)
        {
            for (int p = _adjStart[v]; p < _adjStart[v + 1]; p++)
            {
                if (_dual[v] + _dual[_adjNbr[p]] < 2 * _adjW[p])
                {
                    violated[v]++;
                }
            }
        }

        for (int v = 0; v < n; v++)
        {
            for (int p = _adjStart[v]; p < _adjStart[v + 1]; p++)
            {
                int w = _adjNbr[p];
                long slack = _dual[v] + _dual[w] - 2 * _adjW[p];
                if (slack < 0)
                {
                    bool vExposed = mate[v] < 0;
                    int raise = vExposed != (mate[w] < 0) ? (vExposed ? v : w) : violated[v] > violated[w] ? v : w;
                    _dual[raise] -= slack;
                }
            }
        }

        LowerDuals();

        for (int v = 0; v < n; v++)
        {
            int m = mate[v];
            if (m <= v || m >= n || mate[m] != v)
            {
                continue;
            }

            long best = 0;
            for (int p = _adjStart[v]; p < _adjStart[v + 1]; p++)
            {
                if (_adjNbr[p] == m && _adjW[p] > best)
                {
                    best = _adjW[p];
                }
            }

            if (best > 0 && _dual[v] + _dual[m] == 2 * best)
            {
                _mate[v] = m;
                _mate[m] = v;
            }
        }

        GreedyOnTightEdges();
    }

    /// <summary>
    /// Lowers each vertex dual, in turn, to the least that keeps all its edges feasible against its neighbours' current
    /// duals (never below zero). A start where every dual is a vertex's heaviest edge leaves an edge tight only when
    /// it is the heaviest at both ends, and about 60% of the vertices exposed on the 100k-person graphs; lowered, the
    /// duals make a tight edge of every vertex's binding constraint, and the greedy pass leaves about 28% exposed
    /// (bench/matching/README.md: half the dual steps, round 1 about twice as fast). One pass is a fixed point:
    /// lowering a neighbour only raises what a vertex needs. A tight matched edge stays tight, since each of its ends
    /// needs exactly what it has.
    /// </summary>
    private void LowerDuals()
    {
        for (int v = 0; v < _n; v++)
        {
            long need = 0;
            for (int p = _adjStart[v]; p < _adjStart[v + 1]; p++)
            {
                long d = 2 * _adjW[p] - _dual[_adjNbr[p]];
                if (d > need)
                {
                    need = d;
                }
            }

            _dual[v] = need;
        }
    }

    /// <summary>Matches exposed vertices greedily along tight edges, then rounds exposed duals up to even.</summary>
    private void GreedyOnTightEdges()
    {
        int n = _n;
        for (int v = 0; v < n; v++)
        {
            if (_mate[v] >= 0)
            {
                continue;
            }

            for (int p = _adjStart[v]; p < _adjStart[v + 1]; p++)
            {
                int w = _adjNbr[p];
                if (_mate[w] < 0 && Slack(p) == 0)
                {
                    _mate[v] = w;
                    _mate[w] = v;
                    break;
                }
            }
        }

        for (int v = 0; v < n; v++)
        {
            if (_mate[v] < 0 && (_dual[v] & 1) != 0)
            {
                _dual[v]++;
            }
        }
    }

    // ---------------------------------------------------------------- trees

    private void Enqueue(int v)
    {
        if (_qTail == _queue.Length)
        {
            int live = _qTail - _qHead;
            if (_qHead < _queue.Length / 2)
            {
                Array.Resize(ref _queue, _queue.Length * 2);
            }

            Array.Copy(_queue, _qHead, _queue, 0, live);
            _qHead = 0;
            _qTail = live;
        }

        _queue[_qTail++] = v;
    }

    /// <summary>Removes all labels of the tree rooted at vertex root (after it augmented).</summary>
    private void Dissolve(int root)
    {

        var members = _treeMembers[root]!;
        _freed.Clear();
        int n = _n;
        foreach (int b in members)
        {
            if (_label[b] == Free || _treeOf[b] != root || !IsOutermost(b))
            {
                continue;
            }

            _label[b] = Free;
            SetDualStates(b, Free);
            CollectLeaves(b, _freed);
        }

        members.Clear();
        _liveTrees--;
        StatFreed += _freed.Count;

        foreach (int b in _freed.ToArray())
        {
            int top = Top(b);
            if (top >= n && _parent[top] == -1 && _childs[top] != null && BDual(top) == 0)
            {
                ExpandZeroDualNest(top);
            }
        }

        // The freed vertices look for S neighbours. Pointers of other vertices into the tree are left stale: they
        // are repaired when read (Scan, ValidBestToS, or when their heap entry surfaces in DualStep). Repairing them
        // here rescanned every neighbour of every freed vertex, the largest cost of the whole solve.
        foreach (int x in _freed.ToArray())
        {
            RescanToS(x);
        }
    }

    /// <summary>Freed vertices that have a tight edge to an S vertex join that tree without a dual step.</summary>
    private void ProcessPendingTight()
    {
        for (int i = 0; i < _pendingTight.Count; i++)
        {
            int x = _pendingTight[i];
            int bx = Top(x);
            if (_label[bx] != Free)
            {
                continue;
            }

            int s = ValidBestToS(x);
            if (s >= 0 && BestSlack(x) == 0)
            {
                AssignT(bx, s, x);
            }
        }

        _pendingTight.Clear();
    }

    private void CollectLeaves(int b, List<int> into)
    {
        if (b < _n)
        {
            into.Add(b);
            return;
        }

        int top = 0;
        _stack[top++] = b;
        while (top > 0)
        {
            int x = _stack[--top];
            if (x < _n)
            {
                into.Add(x);
            }
            else
            {
                foreach (int c in _childs[x]!)
                {
                    _stack[top++] = c;
                }
            }
        }
    }

    /// <summary>Outermost blossom (or the vertex itself) that contains vertex v.</summary>
    private int Top(int v) => _outer[_rep[v]];

    /// <summary>
    /// Whether v's outermost blossom is S. A vertex uses the S convention of the lazy duals exactly then (a dual step
    /// moves each stored dual by its convention, so they must agree), and its own state is one read where the
    /// blossom's label is three.
    /// </summary>
    private bool IsS(int v) => _vState[v] == SLabel;

    /// <summary>Recomputes the least-slack edge from non-S vertex x to any S vertex.</summary>
    private void RescanToS(int x)
    {
        int best = -1;
        long bestSlack = long.MaxValue;
        int end = _adjStart[x + 1];
        long dx = VDual(x) - _offset; // an S vertex's dual is its stored value - D (see IsS)
        for (int p = _adjStart[x]; p < end; p++)
        {
            int w = _adjNbr[p];
            if (!IsS(w))
            {
                continue;
            }

            long slack = dx + _dual[w] - 2 * _adjW[p];
            if (slack < bestSlack)
            {
                bestSlack = slack;
                best = p;
            }
        }

        _bestToS[x] = best < 0 ? new BestToS { End = -1 } : new BestToS { End = _adjNbr[best], Weight2 = 2 * _adjW[best] };
        if (best >= 0 && _label[Top(x)] == Free)
        {
            _heapFree.PushOrDecrease(x, bestSlack + _offset);
            if (bestSlack == 0)
            {
                _pendingTight.Add(x);
            }
        }
    }

    /// <summary>The S end of bestToS[x] (or -1), after repairing the pointer when its end left S or it was set loosely.</summary>
    private int ValidBestToS(int x)
    {
        int s = _bestToS[x].End;
        if (s >= 0 && (_bestToS[x].Loose || !IsS(s)))
        {
            RescanToS(x);
            s = _bestToS[x].End;
        }

        return s;
    }

    /// <summary>Scans all edges of S vertex v. Returns true when an augmentation dissolved v's tree.</summary>
    private bool Scan(int v)
    {
        StatScans++;
        int end = _adjStart[v + 1];
        long dv = VDual(v); // fixed while v is S (no dual step during a scan), and the scan ends when v leaves S
        for (int p = _adjStart[v]; p < end; p++)
        {
            int w = _adjNbr[p];
            int bv = Top(v);
            int bw = Top(w);
            if (bv == bw)
            {
                continue;
            }

            if (_label[bv] != SLabel)
            {
                return true;
            }

            long slack = dv + VDual(w) - 2 * _adjW[p];
            byte lw = _label[bw];
            if (lw == SLabel)
            {
                if (slack == 0)
                {
                    if (TightSS(v, w))
                    {
                        return true;
                    }
                }
                else
                {
                    // One heap of S-S edges for all trees: the key stays exact while both ends stay S, so blossoms
                    // need no per-blossom best-edge lists (whose merges grew with the size of the blossom).
                    _heapSS.Enqueue(p, slack + 2 * _offset);
                }
            }
            else
            {
                ref var cur = ref _bestToS[w];
                if (cur.End >= 0 && (!IsS(cur.End) || cur.End == v))
                {
                    // Stale pointer, or v left S and came back (the pointer looks valid but its slack changed, and
                    // another S neighbour may now be closer). The entries w already has keep a lower bound, so take
                    // this edge for now and rescan w only if it matters (when an entry of w surfaces).
                    cur = new BestToS { End = v, Weight2 = 2 * _adjW[p], Loose = true };
                    if (lw == Free)
                    {
                        _heapFree.PushOrDecrease(w, slack + _offset);
                    }
                }
                else if (cur.End < 0 || slack < VDual(cur.End) + VDual(w) - cur.Weight2)
                {
                    // A loose pointer stays loose: an S neighbour closer than both may be unseen.
                    cur = new BestToS { End = v, Weight2 = 2 * _adjW[p], Loose = cur.Loose };
                    if (lw == Free)
                    {
                        _heapFree.PushOrDecrease(w, slack + _offset);
                    }
                }

                if (slack == 0 && lw == Free && AssignT(bw, v, w))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Handles a tight edge between two S blossoms. Returns true if it augmented.</summary>
    private bool TightSS(int v, int w)
    {
        int lca = FindCommonBase(v, w);
        if (lca >= 0)
        {
            AddBlossom(lca, v, w);
            return false;
        }

        int rv = _treeOf[Top(v)];
        int rw = _treeOf[Top(w)];
        AugmentFrom(v, w);
        AugmentFrom(w, v);
        Dissolve(rv);
        Dissolve(rw);
        return true;
    }

    /// <summary>Computes and applies the dual change, then handles the event.</summary>
    private void DualStep()
    {
        StatDualSteps++;
        long delta = long.MaxValue;
        int kind = 0;
        int arg = -1;
        long d = _offset;

        // delta1: smallest S vertex dual.
        while (_heapVertex.TryPeek(out int v, out long key))
        {
            if (_vState[v] != SLabel || _dual[v] != key)
            {
                _heapVertex.Dequeue();
                continue;
            }

            delta = key - d;
            kind = 1;
            arg = v;
            break;
        }

        // delta2: smallest slack between a free vertex and an S vertex.
        while (_heapFree.Count > 0)
        {
            int x = _heapFree.MinId;
            long key = _heapFree.MinKey;
            ref var best = ref _bestToS[x];
            if (_label[Top(x)] != Free || best.End < 0)
            {
                _heapFree.PopMin(out _);
                continue;
            }

            if (best.Loose || !IsS(best.End))
            {
                // Its pointer went stale when a tree dissolved (or was set loosely): its key was still a lower bound,
                // so recompute now.
                _heapFree.PopMin(out _);
                RescanToS(x);
                continue;
            }

            long exact = BestSlack(x) + d;
            if (exact != key)
            {
                // The key is an older, lower offer (a lower key wins in place): file x again under its edge's slack.
                _heapFree.PopMin(out _);
                _heapFree.PushOrDecrease(x, exact);
                continue;
            }

            if (key - d < delta)
            {
                delta = key - d;
                kind = 2;
                arg = x;
            }

            break;
        }

        // delta3: half the smallest slack between two S blossoms.
        if (_heapSS.Count > SSHeapLimit)
        {
            DropStaleSSEdges(d);
        }

        while (_heapSS.TryPeek(out int p, out long key))
        {
            int b = Top(_adjOwner[p]);
            int bo = Top(_adjNbr[p]);
            if (b == bo || _label[b] != SLabel || _label[bo] != SLabel || Slack(p) + 2 * d != key)
            {
                _heapSS.Dequeue();
                continue;
            }

            long slack = key - 2 * d;
            if ((slack & 1) != 0)
            {
                throw new InvalidOperationException("Internal error: odd slack between S blossoms.");
            }

            if (slack / 2 < delta)
            {
                delta = slack / 2;
                kind = 3;
                arg = p;
            }

            break;
        }

        // delta4: half the smallest T blossom dual.
        while (_heapT.TryPeek(out int b, out long key))
        {
            if (b < _n || !IsOutermost(b) || _label[b] != TLabel || _bState[b] != TLabel || _dual[b] != key)
            {
                _heapT.Dequeue();
                continue;
            }

            long z = key - 2 * d;
            if (z / 2 < delta)
            {
                delta = z / 2;
                kind = 4;
                arg = b;
            }

            break;
        }

        if (delta < 0)
        {
            throw new InvalidOperationException("Internal error: negative dual step.");
        }

        _offset += delta;


        switch (kind)
        {
            case 1:
            {
                // An S vertex reached dual zero: it becomes exposed, its root gets matched.
                int root = _treeOf[Top(arg)];
                AugmentFrom(arg, -1);
                Dissolve(root);
                return;
            }

            case 2:
            {
                AssignT(Top(arg), _bestToS[arg].End, arg);
                return;
            }

            case 3:
            {
                TightSS(_adjOwner[arg], _adjNbr[arg]);
                return;
            }

            case 4:
                Expand(arg, endStage: false);
                return;
            default:
                throw new InvalidOperationException("Internal error: no dual step possible.");
        }
    }

    /// <summary>Rebuilds the S-S edge heap from its entries that are still current (bounds its memory).</summary>
    private void DropStaleSSEdges(long d)
    {
        var live = new List<(int P, long Key)>();
        foreach (var (p, key) in _heapSS.UnorderedItems)
        {
            int b = Top(_adjOwner[p]);
            int bo = Top(_adjNbr[p]);
            if (b != bo && _label[b] == SLabel && _label[bo] == SLabel && Slack(p) + 2 * d == key)
            {
                live.Add((p, key));
            }
        }

        _heapSS.Clear();
        _heapSS.EnqueueRange(live);
    }

    private bool IsOutermost(int b) => b < _n ? Top(b) == b : _childs[b] != null && _parent[b] == -1;

    // ---------------------------------------------------------------- labels

    private void AssignS(int b, int tree)
    {
        _label[b] = SLabel;
        SetDualStates(b, SLabel);
        _treeOf[b] = tree;
        _treeMembers[tree]!.Add(b);
        if (b < _n)
        {
            Enqueue(b);
            return;
        }

        int top = 0;
        _stack[top++] = b;
        while (top > 0)
        {
            int x = _stack[--top];
            if (x < _n)
            {
                Enqueue(x);
            }
            else
            {
                foreach (int c in _childs[x]!)
                {
                    _stack[top++] = c;
                }
            }
        }
    }

    /// <summary>Labels free blossom b as T, reached from S vertex s over edge (s,t). Returns true if it augmented.</summary>
    private bool AssignT(int b, int s, int t)
    {
        int m = _mate[_baseOf[b]];
        int tree = _treeOf[Top(s)];
        if (m < 0)
        {
            // An exposed blossom with zero dual (not a tree root): the path to it augments.
            AugmentFrom(s, t);
            if (b >= _n)
            {
                AugmentBlossom(b, t);
            }

            _mate[t] = s;
            Dissolve(tree);
            return true;
        }


        SetT(b, s, t, tree);
        int bm = Top(m);
        if (_label[bm] == Free)
        {
            AssignS(bm, tree);
        }

        return false;
    }

    /// <summary>Next S blossom towards the root from S blossom sb, or -1 at the root.</summary>
    private int NextS(int sb)
    {
        int m = _mate[_baseOf[sb]];
        if (m < 0)
        {
            return -1;
        }

        return Top(_labelFrom[Top(m)]);
    }

    private int FindCommonBase(int v, int w)
    {
        int stamp = ++_markStamp;
        int a = Top(v);
        int b = Top(w);
        while (a >= 0 || b >= 0)
        {
            if (a >= 0)
            {
                if (_mark[a] == stamp)
                {
                    return a;
                }

                _mark[a] = stamp;
                a = NextS(a);
            }

            if (b >= 0)
            {
                if (_mark[b] == stamp)
                {
                    return b;
                }

                _mark[b] = stamp;
                b = NextS(b);
            }
        }

        return -1;
    }

    // ---------------------------------------------------------------- blossoms

    /// <summary>Traces from S vertex x's blossom up to blossom stop, recording blossoms and the edges between them.</summary>
    private void Trace(int x, int stop, List<int> path)
    {
        // path holds triples: blossom, edge end inside it, edge end inside the next blossom.
        path.Clear();
        int cur = Top(x);
        while (cur != stop)
        {
            int baseV = _baseOf[cur];
            int t = _mate[baseV];
            path.Add(cur);
            path.Add(baseV);
            path.Add(t);
            int bt = Top(t);
            path.Add(bt);
            path.Add(_labelTo[bt]);
            path.Add(_labelFrom[bt]);
            cur = Top(_labelFrom[bt]);
        }
    }

    private void AddBlossom(int lca, int v, int w)
    {

        int nb = _freeIds[--_freeCount];
        Trace(v, lca, _pathA);
        Trace(w, lca, _pathB);
        int r = _pathA.Count / 3;
        int q = _pathB.Count / 3;
        int k = r + q + 1;
        var ch = new int[k];
        var lx = new int[k];
        var ly = new int[k];
        ch[0] = lca;
        for (int i = 0; i < r; i++)
        {
            // c_i = b_{r-i}, c_{i+1} = b_{r-i-1}; trace edge r-i-1 goes from b_{r-i-1} to b_{r-i}.
            int j = r - i - 1;
            ch[i + 1] = _pathA[3 * j];
            lx[i] = _pathA[3 * j + 2];
            ly[i] = _pathA[3 * j + 1];
        }

        lx[r] = v;
        ly[r] = w;
        for (int j = 0; j < q; j++)
        {
            ch[r + 1 + j] = _pathB[3 * j];
            lx[r + 1 + j] = _pathB[3 * j + 1];
            ly[r + 1 + j] = _pathB[3 * j + 2];
        }

        _childs[nb] = ch;
        _linkX[nb] = lx;
        _linkY[nb] = ly;
        _baseOf[nb] = _baseOf[lca];
        _parent[nb] = -1;
        _bState[nb] = Free;
        _dual[nb] = 0;
        SetBState(nb, SLabel);
        _leafState[nb] = SLabel; // every child's vertices are S once the former T children are converted below
        _label[nb] = SLabel;
        _treeOf[nb] = _treeOf[lca];
        _treeMembers[_treeOf[lca]]!.Add(nb);

        foreach (int c in ch)
        {
            _parent[c] = nb;
        }

        // The largest child keeps its representative; the vertices of the other children take it on. Former T
        // children's vertices (now S) change their dual convention and are queued for a scan.
        int big = ch[0];
        int size = 0;
        foreach (int c in ch)
        {
            size += _leafCount[c];
            if (_leafCount[c] > _leafCount[big])
            {
                big = c;
            }
        }

        int rep = _blossomRep[big];
        _leafCount[nb] = size;
        _blossomRep[nb] = rep;
        _repChild[nb] = big;
        _outer[rep] = nb;
        int top = 0;
        foreach (int c in ch)
        {
            bool wasT = _label[c] == TLabel;
            if (c >= _n)
            {
                SetBState(c, Free); // no longer outermost: its dual freezes
            }

            if (c == big && !wasT)
            {
                continue;
            }

            _stack[top++] = c;
            while (top > 0)
            {
                int x = _stack[--top];
                if (x < _n)
                {
                    _rep[x] = rep;
                    if (wasT)
                    {
                        SetVState(x, SLabel);
                        Enqueue(x);
                    }
                }
                else
                {
                    foreach (int cc in _childs[x]!)
                    {
                        _stack[top++] = cc;
                    }
                }
            }
        }

        // Edges from the new blossom to other S blossoms are already in the S-S edge heap (S children) or will be
        // when the former T children's vertices are scanned; edges that became internal are dropped when they surface.
        foreach (int c in ch)
        {
            _label[c] = Free;
        }
    }

    /// <summary>Dissolves outermost blossom b. A T blossom mid-stage relabels its children so the tree stays valid.</summary>
    private void Expand(int b, bool endStage)
    {
        int[] ch = _childs[b]!;
        int[] lx = _linkX[b]!;
        int[] ly = _linkY[b]!;
        int k = ch.Length;
        int keeps = _repChild[b];
        bool relabel = !endStage && _label[b] == TLabel;
        foreach (int c in ch)
        {
            _parent[c] = -1;
            _label[c] = Free;
            if (c != keeps)
            {
                SetLeavesRep(c);
            }

            _outer[_blossomRep[c]] = c;
            _leafState[c] = _leafState[b];
            if (!relabel)
            {
                SetDualStates(c, Free);
            }
        }

        if (relabel)
        {
            int tree = _treeOf[b];
            int s = _labelFrom[b];
            int t = _labelTo[b];
            // The children are outermost now, so t's representative names the child holding t (walking up the
            // parents from t cost the depth of t, at every level of a nest expanded one level at a time).
            int j = Array.IndexOf(ch, Top(t));
            int dir = (j & 1) != 0 ? 1 : -1;
            SetT(ch[j], s, t, tree);
            while (j != 0)
            {
                int j1 = (j + dir + k) % k;
                int j2 = (j1 + dir + k) % k;
                // Child j1 is matched to child j (its base's mate lies in child j): it becomes S.
                AssignS(ch[j1], tree);
                int from, to;
                if (dir == 1)
                {
                    from = lx[j1];
                    to = ly[j1];
                }
                else
                {
                    from = ly[j2];
                    to = lx[j2];
                }

                SetT(ch[j2], from, to, tree);
                j = j2;
            }

            // Children off the path become free; any of them with a tight edge to an S vertex joins as T.
            foreach (int c in ch)
            {
                if (_label[c] != Free)
                {
                    continue;
                }

                // Set only now, so a path child that stays T keeps its vertices' convention without a walk.
                SetDualStates(c, Free);
                int top = 0;
                _stack[top++] = c;
                while (top > 0)
                {
                    int y = _stack[--top];
                    if (y < _n)
                    {
                        int sy = ValidBestToS(y);
                        if (sy >= 0)
                        {
                            long slack = BestSlack(y);
                            if (slack == 0)
                            {
                                // Its mate blossom is another off-path child, still free: AssignT labels it S.
                                AssignT(c, sy, y);
                                break;
                            }

                            _heapFree.PushOrDecrease(y, slack + _offset);
                        }
                    }
                    else
                    {
                        foreach (int cc in _childs[y]!)
                        {
                            _stack[top++] = cc;
                        }
                    }
                }
            }
        }

        _childs[b] = null;
        _linkX[b] = null;
        _linkY[b] = null;
        _label[b] = Free;
        _bState[b] = Free;
        _dual[b] = 0;
        _baseOf[b] = -1;
        _freeIds[_freeCount++] = b;

        if (endStage)
        {
            // Pushed last to first, so the children are expanded in order, each nest before the next (as recursion would).
            for (int i = ch.Length - 1; i >= 0; i--)
            {
                if (ch[i] >= _n && BDual(ch[i]) == 0)
                {
                    _zeroDualNest.Push(ch[i]);
                }
            }
        }
    }

    /// <summary>
    /// Expands outermost zero-dual blossom <paramref name="top"/> and every zero-dual blossom nested in it. Degenerate
    /// graphs nest them one inside the next, tens of thousands of levels deep (52,000 on the 1M-person synthetic
    /// graph), so this walks the nest with a stack of its own: one call per level overflowed the thread's stack.
    /// </summary>
    private void ExpandZeroDualNest(int top)
    {
        _zeroDualNest.Push(top);
        while (_zeroDualNest.TryPop(out int b))
        {
            Expand(b, endStage: true);
        }
    }

    private void SetT(int c, int from, int to, int tree)
    {
        _label[c] = TLabel;
        SetDualStates(c, TLabel);
        _treeOf[c] = tree;
        _treeMembers[tree]!.Add(c);
        _labelFrom[c] = from;
        _labelTo[c] = to;
    }

    /// <summary>Gives every vertex of c the representative of c (c is becoming outermost).</summary>
    private void SetLeavesRep(int c)
    {
        int rep = _blossomRep[c];
        int top = 0;
        _stack[top++] = c;
        while (top > 0)
        {
            int x = _stack[--top];
            if (x < _n)
            {
                _rep[x] = rep;
            }
            else
            {
                foreach (int cc in _childs[x]!)
                {
                    _stack[top++] = cc;
                }
            }
        }
    }

    // ---------------------------------------------------------------- augmentation

    /// <summary>
    /// Flips the alternating path from S vertex s to the root of its tree; s gets partner (or becomes exposed when
    /// partner is -1) and the root becomes matched.
    /// </summary>
    private void AugmentFrom(int s, int partner)
    {
        while (true)
        {
            int bs = Top(s);
            int oldBaseMate = _mate[_baseOf[bs]];
            if (bs >= _n)
            {
                AugmentBlossom(bs, s);
            }

            _mate[s] = partner;
            if (oldBaseMate < 0)
            {
                return;
            }

            int bt = Top(oldBaseMate);
            int s2 = _labelFrom[bt];
            int t2 = _labelTo[bt];
            if (bt >= _n)
            {
                AugmentBlossom(bt, t2);
            }

            _mate[t2] = s2;
            s = s2;
            partner = t2;
        }
    }

    /// <summary>
    /// Makes vertex v the base of blossom b by flipping the even alternating path inside b, and inside every sub-blossom
    /// on it. Each sub-blossom's flip touches only its own vertices and child list, so the order does not matter; a
    /// stack of pending flips stands in for recursion, which nests as deep as the blossoms (tens of thousands of levels).
    /// </summary>
    private void AugmentBlossom(int b, int v)
    {
        _pendingFlips.Push((b, v));
        while (_pendingFlips.TryPop(out var flip))
        {
            FlipChain(flip.Blossom, flip.Base);
        }
    }

    /// <summary>
    /// Makes v the base of b and of every blossom between b and v. The chain of blossoms holding v is walked up once:
    /// finding each level's child from v again cost the depth of v at every level, quadratic in the nest's depth.
    /// </summary>
    private void FlipChain(int b, int v)
    {
        if (_baseOf[b] == v)
        {
            return;
        }

        _chain.Clear();
        for (int t = v; t != b; t = _parent[t])
        {
            _chain.Add(t);
        }

        StatNestSteps += _chain.Count;

        for (int i = _chain.Count - 1; i >= 0; i--)
        {
            int outer = i == _chain.Count - 1 ? b : _chain[i + 1];
            if (_baseOf[outer] == v)
            {
                break; // a blossom based at v has its base child based at v too, and so on down
            }

            FlipInside(outer, _chain[i], v);
        }
    }

    /// <summary>One level of <see cref="FlipChain"/>: flips b's own path from its child t (holding v), queues the other sub-blossoms on it.</summary>
    private void FlipInside(int b, int t, int v)
    {
        int[] ch = _childs[b]!;
        int[] lx = _linkX[b]!;
        int[] ly = _linkY[b]!;
        int k = ch.Length;
        int i = Array.IndexOf(ch, t);
        int dir = (i & 1) != 0 ? 1 : -1;
        int j = i;
        while (j != 0)
        {
            int j1 = (j + dir + k) % k;
            int j2 = (j1 + dir + k) % k;
            int x, y;
            if (dir == 1)
            {
                x = lx[j1];
                y = ly[j1];
            }
            else
            {
                x = ly[j2];
                y = lx[j2];
            }

            if (ch[j1] >= _n)
            {
                _pendingFlips.Push((ch[j1], x));
            }

            if (ch[j2] >= _n)
            {
                _pendingFlips.Push((ch[j2], y));
            }

            _mate[x] = y;
            _mate[y] = x;
            j = j2;
        }

        if (i != 0)
        {
            var nch = new int[k];
            var nlx = new int[k];
            var nly = new int[k];
            for (int q = 0; q < k; q++)
            {
                int src = (i + q) % k;
                nch[q] = ch[src];
                nlx[q] = lx[src];
                nly[q] = ly[src];
            }

            _childs[b] = nch;
            _linkX[b] = nlx;
            _linkY[b] = nly;
        }

        _baseOf[b] = v;
    }

    // ---------------------------------------------------------------- results

    public long TotalWeight()
    {
        long total = 0;
        for (int v = 0; v < _n; v++)
        {
            int m = _mate[v];
            if (m > v)
            {
                long best = 0;
                for (int p = _adjStart[v]; p < _adjStart[v + 1]; p++)
                {
                    if (_adjNbr[p] == m && _adjW[p] > best)
                    {
                        best = _adjW[p];
                    }
                }

                total += best;
            }
        }

        return total;
    }

    public MatchingDuals Duals()
    {
        int n = _n;
        var vertexDual = new long[n];
        Array.Copy(_dual, vertexDual, n);
        var blossoms = new List<BlossomDual>();
        var members = new List<int>();
        for (int b = n; b < 2 * n; b++)
        {
            // A blossom whose dual is zero adds nothing to the certificate. Listing it cost as much as all the others:
            // nested blossoms repeat their members at every level, and zero-dual nests can be thousands deep.
            if (_childs[b] == null || _dual[b] == 0)
            {
                continue;
            }

            members.Clear();
            CollectLeaves(b, members);
            members.Sort();
            blossoms.Add(new BlossomDual(members.ToArray(), _dual[b]));
        }

        return new MatchingDuals(vertexDual, blossoms);
    }

    /// <summary>A non-S vertex's least-slack edge to S: its S end (-1 for none) and twice its weight.</summary>
    private struct BestToS
    {
        public int End;

        /// <summary>Set without a rescan: maybe not the least slack; the vertex's heap entry still holds a lower bound.</summary>
        public bool Loose;

        public long Weight2;
    }
}
