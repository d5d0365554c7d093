import random
import re

from mock_server.domain.ids import IdFactory


def test_same_seed_same_ids():
    a, b = IdFactory(random.Random(42)), IdFactory(random.Random(42))
    assert [a.access_token(), a.session(), a.task()] == [b.access_token(), b.session(), b.task()]


def test_different_seed_different_ids():
    assert IdFactory(random.Random(1)).access_token() != IdFactory(random.Random(2)).access_token()


def test_id_formats():
    ids = IdFactory(random.Random(0))
    assert re.fullmatch(r"[1-9][0-9]{18}", ids.session())
    assert re.fullmatch(r"task_[0-9a-f]{16}", ids.task())
    assert re.fullmatch(r"clm_[a-z0-9]{32}", ids.claim_token())
    assert re.fullmatch(r"usr_[0-9a-f]{16}", ids.registered_user())
    assert re.fullmatch(r"f_[0-9a-f]{16}", ids.file())
