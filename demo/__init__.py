"""The deterministic demo county: real outline and divisions, synthetic everything else.

``generate()`` returns a :class:`DemoCounty` whose frames ``wangge demo`` writes into PostGIS.
The generative process is described in ``demo/README.md``.
"""

from demo.county import DemoCounty, generate

__all__ = ["DemoCounty", "generate"]
