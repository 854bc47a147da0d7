"""Adapters that run code we did not write (networkx, scipy, igraph, rustworkx, gudhi) on a layer.

Each adapter builds the layer's bipartite graph the library's way -- input nodes
``0..n_in-1``, output nodes ``n_in..n_in+m_out-1``, edge ``(j_in, n_in + i_out)`` of weight
``|w[i_out, j_in]|`` -- calls the library's own spanning-tree or persistence routine and
returns what the library returns (a graph object, a sparse matrix, a point list), so the kit
must read it as it comes. Also here: an implementation of Rieck et al.'s published
conventions, written from the paper's and the code's description (per-layer here), and the
seeded bugs of the peer-zoo tests.
"""

import gudhi
import igraph
import networkit as nk
import networkx as nx
import numpy as np
import rustworkx as rx
from scipy.sparse import csgraph, csr_matrix


def _edges(w):
    """``(u, v, |w|)`` of every edge of the layer's bipartite graph (zero weights included)."""
    m, n = w.shape
    return [(j, n + i, float(abs(w[i, j]))) for i in range(m) for j in range(n)]


def _nx_graph(w):
    graph = nx.Graph()
    graph.add_nodes_from(range(sum(w.shape)))
    graph.add_weighted_edges_from(_edges(w))
    return graph


def networkx_mst(algorithm):
    """networkx's maximum spanning tree (a forest on a disconnected graph) as a Graph."""

    def mst(w):
        return nx.maximum_spanning_tree(_nx_graph(w), algorithm=algorithm)

    mst.__qualname__ = f"networkx_{algorithm}"
    return mst


def networkx_triples(w):
    """networkx Kruskal, returned as ``edges(data=True)`` triples."""
    return list(nx.maximum_spanning_edges(_nx_graph(w), algorithm="kruskal", data=True))


def _adjacency(w, value):
    """The ``(n + m, n + m)`` bipartite adjacency with entries ``value(|w|)``."""
    m, n = w.shape
    adjacency = np.zeros((n + m, n + m))
    adjacency[n:, :n] = value(np.abs(w))
    return adjacency


def scipy_mst(w):
    """scipy's minimum spanning tree of ``-(|w| + 1)``: a maximum one (zero weights kept)."""
    return csgraph.minimum_spanning_tree(csr_matrix(_adjacency(w, lambda a: -(a + 1.0))))


def scipy_mst_zero_as_absent(w):
    """BUG: scipy's minimum spanning tree of ``-|w|``: scipy drops zero entries (no edge)."""
    return csgraph.minimum_spanning_tree(csr_matrix(_adjacency(w, lambda a: -a)))


def igraph_mst(w):
    """igraph's spanning tree (a minimum one) of the weights ``-|w|``, as a Graph."""
    edges = _edges(w)
    graph = igraph.Graph(n=sum(w.shape), edges=[(u, v) for u, v, _ in edges])
    return graph.spanning_tree(weights=[-weight for _, _, weight in edges])


def rustworkx_mst(w):
    """rustworkx's minimum spanning tree of ``-|w|`` payloads, the PyGraph it returns."""
    graph = rx.PyGraph()
    graph.add_nodes_from(range(sum(w.shape)))
    graph.add_edges_from(_edges(w))
    return rx.minimum_spanning_tree(graph, weight_fn=lambda weight: -weight)


def gudhi_diagram(w):
    """The diagram from gudhi: the sub-level filtration ``1 - w'``, points mapped back to
    ``(1, w')``; the essential class dropped, zero-length points kept (the paper's)."""
    mags = np.abs(w) / np.abs(w).max()
    tree = gudhi.SimplexTree()
    for node in range(sum(w.shape)):
        tree.insert([node], filtration=0.0)
    for u, v, _ in _edges(w):
        m, n = w.shape
        tree.insert([u, v], filtration=1.0 - mags[v - n, u])
    pairs = tree.persistence(min_persistence=-1.0)
    deaths = [1.0 - death for dim, (_, death) in pairs if dim == 0 and np.isfinite(death)]
    return np.column_stack([np.ones(len(deaths)), deaths]).reshape(-1, 2)


# -- Rieck et al.'s conventions, from the paper and the description of src/tda.py -----------


def _kruskal_deaths(w):
    """Normalised weights ``|w| / max|w|`` of the merging edges, largest first."""
    m, n = w.shape
    mags = np.abs(w) / np.abs(w).max()
    parent = list(range(n + m))

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    deaths, components = [], n + m
    for flat in np.argsort(-mags, axis=None, kind="stable"):
        i, j = divmod(int(flat), n)
        a, b = find(j), find(n + i)
        if a != b:
            parent[a] = b
            deaths.append(mags[i, j])
            components -= 1
    return np.array(deaths), components


def rieck_diagram(w):
    """Rieck's code: points ``(1, w')`` of the merging edges; zero-length points dropped; the
    essential class kept as ``(1, 0)``."""
    deaths, components = _kruskal_deaths(w)
    deaths = np.concatenate([deaths[deaths < 1.0], np.zeros(components)])
    return np.column_stack([np.ones(deaths.size), deaths])


def rieck_total_persistence(w):
    """Rieck's code's total persistence of a layer: the 2-norm of ``1 - death``."""
    points = rieck_diagram(w)
    return float(np.linalg.norm(points[:, 0] - points[:, 1]))


def rieck_normalized(w):
    """Rieck's code's normalised value: total persistence over ``sqrt(|V| - 1)``."""
    return rieck_total_persistence(w) / np.sqrt(sum(w.shape) - 1)


# -- seeded bugs ---------------------------------------------------------------------------


def np_paper(w, deaths=None):
    """The paper's NP from given deaths (default: the correct ones)."""
    if deaths is None:
        deaths, _ = _kruskal_deaths(w)
    return float(np.linalg.norm(1.0 - deaths))


def np_signed_max(w):
    """BUG: normalises by max(w) instead of max|w| (a missing abs())."""
    deaths, _ = _kruskal_deaths(w)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np_paper(w, deaths * np.abs(w).max() / w.max())


def np_minimum_tree(w):
    """BUG: the deaths of networkx's MINIMUM spanning tree."""
    tree = nx.minimum_spanning_tree(_nx_graph(w))
    mags = np.array([d["weight"] for _, _, d in tree.edges(data=True)]) / np.abs(w).max()
    return np_paper(w, mags)


def np_synaptic_flow(w):
    """BUG: divides by sqrt(|V| - 2) (the normaliser of Synaptic-Flow's neural_persistence.py)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np_paper(w) / np.sqrt(sum(w.shape) - 2)


def np_essential_kept(w):
    """BUG: counts the essential class as a point (1, 0) (persistence 1) under the paper's."""
    deaths, components = _kruskal_deaths(w)
    return np_paper(w, np.concatenate([deaths, np.zeros(components)]))


def mst_signed(w):
    """BUG: networkx maximum spanning tree of the signed weights (no abs())."""
    m, n = w.shape
    graph = nx.Graph()
    graph.add_nodes_from(range(n + m))
    graph.add_weighted_edges_from((j, n + i, float(w[i, j])) for i in range(m) for j in range(n))
    return nx.maximum_spanning_tree(graph)


def mst_minimum(w):
    """BUG: networkx's MINIMUM spanning tree of |w|."""
    return nx.minimum_spanning_tree(_nx_graph(w))


def mst_column_major(w):
    """BUG: flat indices of a column-major reading, ``j_in * m_out + i_out``."""
    m, n = w.shape
    tree = networkx_mst("kruskal")(w)
    pairs = [(min(u, v), max(u, v) - n) for u, v in tree.edges()]
    return [j * m + i for j, i in pairs]


def diagram_minimum_tree(w):
    """BUG: the diagram of a MINIMUM spanning tree."""
    tree = nx.minimum_spanning_tree(_nx_graph(w))
    deaths = np.array([d["weight"] for _, _, d in tree.edges(data=True)]) / np.abs(w).max()
    return np.column_stack([np.ones(deaths.size), deaths])


def scipy_mst_symmetric(w):
    """scipy's forest as the symmetric adjacency T + T.T many graph codes return (sparse)."""
    tree = scipy_mst(w)
    return tree + tree.T


def scipy_mst_symmetric_dense(w):
    """The same symmetric adjacency as a dense numpy array."""
    return scipy_mst_symmetric(w).toarray()


def networkit_mst(w):
    """networkit's Kruskal minimum spanning forest of ``-(|w| + 1)`` (a maximum one)."""

    m, n = w.shape
    graph = nk.Graph(n + m, weighted=True)
    for j, out, weight in _edges(w):
        graph.addEdge(j, out, -(weight + 1.0))
    kruskal = nk.graph.KruskalMSF(graph)
    kruskal.run()
    return kruskal.getForest()


def networkx_labelled(w):
    """networkx forest on labelled nodes ("in", j) and ("out", i): needs a node map."""
    m, n = w.shape
    graph = nx.Graph()
    graph.add_weighted_edges_from(
        (("in", j), ("out", i), float(abs(w[i, j]))) for i in range(m) for j in range(n)
    )
    return nx.maximum_spanning_tree(graph)


def labelled_node(label, shape):
    """The node map of :func:`networkx_labelled`: ("in", j) -> j, ("out", i) -> n_in + i."""
    side, index = label
    return index if side == "in" else shape[1] + index
