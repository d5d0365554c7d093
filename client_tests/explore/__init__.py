"""``check-client --explore``: random fault schedules, shrunk to the smallest that breaks a
client (README, "Exploring: random fault schedules").

Modules, from the vocabulary up:

* ``vocabulary``  every fault the control plane can inject, where it applies, its words
  and what a correct client does about it;
* ``schedule``    ``FaultSchedule``: fault rules in the mock's format plus the agent seed;
  to and from scenario files; ``arm`` on a running mock;
* ``strategies``  ``fault_schedules()``: the hypothesis strategy (needs hypothesis);
* ``excuses``, ``properties``  the universal properties, pure over the journal and the
  facts of a client run (when giving up is right is ``excuses``);
* ``judged``      one run under a schedule, judged (rules and properties);
* ``search``      the parallel hypothesis search, its memo and the shrink;
* ``report``, ``command``  the reports and the two command-line modes (``--explore``,
  ``--scenario-file``).
"""

from nemo_mock.client_tests.explore.properties import PROPERTIES, RunFacts, check_properties
from nemo_mock.client_tests.explore.schedule import FaultSchedule

__all__ = ["PROPERTIES", "FaultSchedule", "RunFacts", "check_properties"]
