import random
import re

from nemo_mock.mock_server.domain.ids import IdFactory


def test_same_seed_same_replayable_ids():
    a, b = IdFactory(random.Random(42)), IdFactory(random.Random(42))
    assert [a.session(), a.task(), a.anonymous_user(), a.registered_user()] == [
        b.session(),
        b.task(),
        b.anonymous_user(),
        b.registered_user(),
    ]


def test_different_seed_different_ids():
    assert IdFactory(random.Random(1)).session() != IdFactory(random.Random(2)).session()


def test_secrets_do_not_follow_the_seed():
    """Two mocks on the same seed: the same ids, never the same token, claim token or
    /cdn key (tokens were Mersenne-Twister output, the first one the same in every mock)."""
    a, b = IdFactory(random.Random(0)), IdFactory(random.Random(0))
    assert a.access_token() != b.access_token()
    assert a.claim_token() != b.claim_token()
    assert a.render_output() != b.render_output()
    assert a.file() != b.file()


def test_ids_never_show_the_rng_output():
    """An id is an HMAC of a counter: the seeded RNG's next numbers appear in no id."""
    rng = random.Random(0)
    ids = IdFactory(rng)
    shown = " ".join(ids.task() + ids.registered_user() + ids.session() for _ in range(50))
    twin = random.Random(0)
    twin.randbytes(32)  # the key
    assert twin.getrandbits(64).to_bytes(8, "big").hex()[:8] not in shown
    fresh = random.Random(0)
    assert fresh.getrandbits(32).to_bytes(4, "big").hex() not in shown
    assert str(random.Random(0).randrange(10**18, 10**19)) not in shown


def test_rekey_after_a_reseed_replays():
    rng = random.Random(5)
    ids = IdFactory(rng)
    first = [ids.session(), ids.task()]
    rng.seed(5)
    ids.rekey()
    assert [ids.session(), ids.task()] == first


def test_id_formats():
    ids = IdFactory(random.Random(0))
    assert re.fullmatch(r"[1-9][0-9]{18}", ids.session())
    assert re.fullmatch(r"task_[0-9a-f]{16}", ids.task())
    assert re.fullmatch(r"nmv_usr_[a-z0-9]{32}", ids.access_token())
    assert re.fullmatch(r"clm_[a-z0-9]{32}", ids.claim_token())
    assert re.fullmatch(r"usr_[0-9a-f]{16}", ids.registered_user())
    assert re.fullmatch(r"f_[0-9a-f]{32}", ids.file())
    assert re.fullmatch(r"r_[0-9a-f]{32}", ids.render_output())
