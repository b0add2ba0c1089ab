"""How the transformers engine keeps its memory down on a CPU: a beam-search cache that
neither copies nor fragments, and weights it no longer reads given back to the kernel."""

from __future__ import annotations


def beam_cache(capacity: int):
    """A decoder cache made for beam search on a CPU, where memory, not arithmetic, is what
    the beams cost.

    - The cross-attention keys and values are left alone when beams are reordered: the beams
      of one sentence share the same encoder states, so reordering them (as transformers
      does every step) copies megabytes to change nothing.
    - Each layer's self-attention keys and values live in one buffer of ``capacity`` steps,
      allocated once per batch, instead of a tensor concatenated anew at every step: the
      ever-larger copies left the allocator's heap fragmented (about 140 MB of freed but
      resident memory at the peak of a 1,024-token batch of the full-size model).
    - Reordering copies only the beams whose source changed, in place."""
    import torch
    from transformers import DynamicCache, DynamicLayer, EncoderDecoderCache

    class BeamLayer(DynamicLayer):
        def lazy_initialization(self, key_states, value_states):
            super().lazy_initialization(key_states, value_states)
            self.length = 0
            self.key_buffer = self.value_buffer = None

        def update(self, key_states, value_states, *args, **kwargs):
            if not self.is_initialized:
                self.lazy_initialization(key_states, value_states)
            n, m = self.length, key_states.shape[-2]
            if self.key_buffer is None or n + m > self.key_buffer.shape[-2]:
                shape = list(key_states.shape)
                shape[-2] = max(capacity, 2 * (n + m))  # grows only past the budget
                keys, values = key_states.new_empty(shape), value_states.new_empty(shape)
                if n:
                    keys[..., :n, :] = self.key_buffer[..., :n, :]
                    values[..., :n, :] = self.value_buffer[..., :n, :]
                self.key_buffer, self.value_buffer = keys, values
            self.key_buffer[..., n : n + m, :] = key_states
            self.value_buffer[..., n : n + m, :] = value_states
            self.length = n + m
            self.keys = self.key_buffer[..., : self.length, :]
            self.values = self.value_buffer[..., : self.length, :]
            return self.keys, self.values

        def get_seq_length(self) -> int:
            return self.length if self.is_initialized else 0

        def reset(self) -> None:
            super().reset()
            self.length = 0
            self.key_buffer = self.value_buffer = None

        # transformers' beam search never crops or reshapes the batch of this cache (tarjama's
        # drops rows through keep_rows); those would need the buffers kept in step, so they
        # fail loudly rather than leave them stale.
        def crop(self, tokens_to_remove: int) -> None:
            raise NotImplementedError("tarjama's beam cache cannot be cropped")

        def batch_repeat_interleave(self, repeats: int) -> None:
            raise NotImplementedError("tarjama's beam cache cannot be repeated")

        def batch_select_indices(self, indices) -> None:
            raise NotImplementedError("tarjama's beam cache cannot be selected from")

        def reorder_cache(self, beam_idx):
            if not self.get_seq_length():
                return
            moved = (beam_idx != torch.arange(len(beam_idx), device=beam_idx.device)).nonzero().flatten()
            if len(moved):
                source, n = beam_idx[moved], self.length
                # The right-hand side is gathered first, so a beam both read and overwritten is safe.
                self.key_buffer[moved, :, :n] = self.key_buffer[source, :, :n]
                self.value_buffer[moved, :, :n] = self.value_buffer[source, :, :n]

        def keep_rows(self, rows) -> None:
            if not self.get_seq_length():
                return
            n = self.length
            front_rows(self.key_buffer[:, :, :n], rows)  # only the steps written so far
            front_rows(self.value_buffer[:, :, :n], rows)
            self.key_buffer, self.value_buffer = self.key_buffer[: len(rows)], self.value_buffer[: len(rows)]
            self.keys = self.key_buffer[..., :n, :]
            self.values = self.value_buffer[..., :n, :]

    class BeamCache(EncoderDecoderCache):
        def reorder_cache(self, beam_idx):
            self.self_attention_cache.reorder_cache(beam_idx)

        def keep_rows(self, rows) -> None:
            """Only ``rows`` (sorted) go on: the sentences that are done leave the batch."""
            for layer in self.self_attention_cache.layers:
                layer.keep_rows(rows)
            for layer in self.cross_attention_cache.layers:
                if layer.is_initialized and layer.keys is not None:
                    layer.keys, layer.values = front_rows(layer.keys, rows), front_rows(layer.values, rows)

    self_attention = DynamicCache()
    self_attention.layer_class_to_replicate = BeamLayer
    return BeamCache(self_attention, DynamicCache())


def front_rows(tensor, rows):
    """The rows ``rows`` (sorted) of ``tensor`` moved to its front, in place; a view of them.

    Nothing is allocated but the gathered rows: the tail stays with the buffer (a batch's
    caches never grow back), so the allocator's heap does not fragment."""
    count = len(rows)
    tensor[:count] = tensor[rows]  # the right-hand side is gathered first
    return tensor[:count]


MADV_PAGEOUT = 21  # Linux 5.4 and later


def release_pages(weight, rows: list[int]) -> None:
    """Tell the kernel that ``rows`` of ``weight`` will not be read again.

    The weights of a safetensors model are mapped from the file, not copied; making the
    reduced output layer reads the English rows of the shared embedding (a quarter of the
    model, 64 MB for OPUS-MT), which then stay in the process's resident memory although
    only the encoder uses that table, for Arabic pieces. MADV_PAGEOUT reclaims them: a hint
    that never loses data (a row read again is read back from the file, or from swap if the
    memory was not a file's). Elsewhere than on Linux, or on an older kernel, nothing
    happens."""
    import os
    import sys

    if not sys.platform.startswith("linux") or weight.device.type != "cpu" or not weight.is_contiguous():
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        madvise = libc.madvise
        madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        page = os.sysconf("SC_PAGE_SIZE")
    except (OSError, AttributeError, ValueError):
        return
    row = weight.shape[1] * weight.element_size()
    base = weight.data_ptr()
    for first, last in _runs(sorted(set(rows))):
        # Only the pages wholly inside a run of released rows: the others hold rows in use.
        begin, end = -(-(base + first * row) // page), (base + last * row) // page
        if end > begin:
            madvise(begin * page, (end - begin) * page, MADV_PAGEOUT)


def _runs(ordered: list[int]) -> list[tuple[int, int]]:
    """[3, 4, 5, 9] -> [(3, 6), (9, 10)]"""
    runs: list[tuple[int, int]] = []
    for i in ordered:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs
