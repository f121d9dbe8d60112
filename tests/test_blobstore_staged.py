"""BlobStore.put_staged (a store being built in its staging folder, e.g. init --from): the blob
is the one ``put`` makes — age-encrypted to the store's identity, named by the HMAC of the
content — so ``read`` decrypts it and checks it against its name."""

from __future__ import annotations

import io
import os

import pytest

from storage.blobstore import BlobStore
from storage.crypto import Keys, new_master_key
from storage.errors import CorruptData


@pytest.fixture
def store(tmp_path):
    (tmp_path / "blobs").mkdir()
    return BlobStore(tmp_path / "blobs", Keys(new_master_key(), "ws"), BlobStore.new_identity())


def test_a_staged_blob_is_the_blob_put_makes(store):
    data = os.urandom(5000)
    staged = store.put_staged(data)
    assert staged.size == len(data) and staged.sha256 is None
    raw = store.path_of(staged.blob_id).read_bytes()
    assert raw.startswith(b"age-encryption.org/v1") and data not in raw
    out = io.BytesIO()
    assert store.read(staged.blob_id, out) == len(data)  # decrypts, and the HMAC name matches
    assert out.getvalue() == data
    assert store.put(io.BytesIO(data), len(data)).blob_id == staged.blob_id  # same name as put()
    store.sync_all()


def test_the_same_content_twice_is_one_blob(store):
    data = b"same content"
    first, second = store.put_staged(data), store.put_staged(data)
    assert first.blob_id == second.blob_id
    assert sum(1 for _ in store.blob_ids()) == 1


def test_a_staged_blob_swapped_for_another_is_detected(store):
    a, b = store.put_staged(b"a" * 100), store.put_staged(b"b" * 100)
    store.path_of(a.blob_id).write_bytes(store.path_of(b.blob_id).read_bytes())
    with pytest.raises(CorruptData):
        store.read(a.blob_id, io.BytesIO())
