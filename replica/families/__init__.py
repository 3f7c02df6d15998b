"""Markups of the site as the CMS families of county 人大 sites render it, one module a family.

``FAMILIES`` maps a markup name (``npc-replica --markup NAME``) to its class; ``Site(markup=NAME)``
serves the site's content through it.
"""

from __future__ import annotations

from .base import Family, Request
from .dedecms import Dedecms
from .hanweb import HanwebClassic, HanwebPlatform
from .kesion import Kesion
from .phpcms import Phpcms
from .powereasy import PowerEasy, PowerEasyStatic
from .trs import Trs
from .vsb import Vsb

FAMILIES: dict[str, type[Family]] = {family.name: family for family in (
    PowerEasy, PowerEasyStatic, Kesion, Trs, HanwebClassic, HanwebPlatform, Vsb, Phpcms, Dedecms,
)}

__all__ = ["FAMILIES", "Family", "Request"]
