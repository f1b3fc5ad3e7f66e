"""The training corpus: log lines in the formats real software writes, labelled with our taxonomy.

    python training/generate_corpus.py            # -> training/dataset/corpus.csv (deterministic, seed 42)

Columns: source, log_message, target_label, family, group, level (the template's typical level as its
software spells it, empty on ~40% of rows; training/corpus/levels.py). A *family* is one piece of software (sshd,
hdfs-datanode, nginx-access ...); a *group* is the set of families held out together in leave-family-out
evaluation and in the grouped folds that calibrate the gate (linux-auth, linux-system, web, hadoop,
openstack, containers, databases, brokers, windows, android, runtimes, apps, security, monitoring, cloud,
frameworks, network, storage, cicd, mail, dns-dhcp, vpn-proxy, workflow, ml-data, commerce, iot, games,
business). `source` is the family
name, except the business applications (ModernCRM, ModernHR, BillingSystem, AnalyticsEngine, ThirdPartyAPI)
and LegacyCRM, whose lines come from training/generate_dataset.py.

Messages are header-stripped (no timestamp, host or pid prefix). Every template was written for this project
from knowledge of what each program logs; no log file or dataset was copied. Label rules (resources/labels.yaml):
HTTP Status only for request/response records; routine records (block transfers, instance/container
lifecycle, sessions opened/closed, jobs run, services started, configuration loaded) are System Notification;
authentication failures, invalid-user probes, bans and privilege misuse are Security Alert; a person's
successful login or account change is User Action; a failed operation is Error; Critical Error needs data
loss/corruption, a crash/panic/fatal/OOM kill, or hardware or a whole service down; figures and limits of
memory/CPU/disk/connections/quotas are Resource Usage.
"""

from __future__ import annotations

import random

from training import generate_dataset as business
from training.corpus.apps import FAMILIES as APPS
from training.corpus.brokers import FAMILIES as BROKERS
from training.corpus.business_ops import FAMILIES as BUSINESS_OPS
from training.corpus.cicd import FAMILIES as CICD
from training.corpus.cloud import FAMILIES as CLOUD
from training.corpus.commerce import FAMILIES as COMMERCE
from training.corpus.containers import FAMILIES as CONTAINERS
from training.corpus.databases import FAMILIES as DATABASES
from training.corpus.dns import FAMILIES as DNS
from training.corpus.family import LABELS, Family
from training.corpus.frameworks import FAMILIES as FRAMEWORKS
from training.corpus.games import FAMILIES as GAMES
from training.corpus.hadoop import FAMILIES as HADOOP
from training.corpus.iot import FAMILIES as IOT
from training.corpus.levels import blank_some, typical_level
from training.corpus.linux import FAMILIES as LINUX
from training.corpus.mail import FAMILIES as MAIL
from training.corpus.mldata import FAMILIES as MLDATA
from training.corpus.monitoring import FAMILIES as MONITORING
from training.corpus.network import FAMILIES as NETWORK
from training.corpus.openstack import FAMILIES as OPENSTACK
from training.corpus.other import FAMILIES as OTHER
from training.corpus.security import FAMILIES as SECURITY
from training.corpus.slots import fill
from training.corpus.storage import FAMILIES as STORAGE
from training.corpus.vpn import FAMILIES as VPN
from training.corpus.web import FAMILIES as WEB
from training.corpus.workflow import FAMILIES as WORKFLOW

COLUMNS = ["source", "log_message", "target_label", "family", "group", "level"]
_CODE = {label: code for code, label in LABELS.items()}


def _business_families() -> list[Family]:
    """Today's business-application lines (training/generate_dataset.py), one family per tier of intent."""
    by_family: dict[str, dict[str, list[str]]] = {}
    for (label, complexity), templates in business.TEMPLATES.items():
        name = "legacycrm" if complexity == "llm" else f"business-{complexity}"
        by_family.setdefault(name, {}).setdefault(_CODE[label], []).extend(templates)
    shares = {"business-regex": 3.0, "business-bert": 10.0, "legacycrm": 0.3}
    return [
        Family(name, "business", shares[name], templates, source="LegacyCRM" if name == "legacycrm" else "*")
        for name, templates in by_family.items()
    ]


FAMILIES: list[Family] = [
    *LINUX,
    *WEB,
    *HADOOP,
    *OPENSTACK,
    *CONTAINERS,
    *DATABASES,
    *BROKERS,
    *OTHER,
    *APPS,
    *SECURITY,
    *MONITORING,
    *CLOUD,
    *FRAMEWORKS,
    *NETWORK,
    *STORAGE,
    *CICD,
    *MAIL,
    *DNS,
    *VPN,
    *WORKFLOW,
    *MLDATA,
    *COMMERCE,
    *IOT,
    *GAMES,
    *_business_families(),
    *BUSINESS_OPS,
]


def generate(rows: int = 40800, seed: int = 42) -> list[dict[str, str]]:
    """About `rows` labelled lines (every template at least once), deterministic for a seed."""
    rng = random.Random(seed)
    total_share = sum(f.share for f in FAMILIES)
    out: list[dict[str, str]] = []
    for family in FAMILIES:
        weighted = family.weighted()
        count = max(len(weighted), round(rows * family.share / total_share))
        picks = weighted + rng.choices(weighted, weights=[w for _, _, w in weighted], k=count - len(weighted))
        for label, template, _ in picks:
            if family.group == "business":
                message, source = business.fill(template, rng), family.source
                if source == "*":
                    source = rng.choice(business.MODERN_SOURCES)
            else:
                message, source = fill(template, rng, family.words), family.source or family.name
            level = typical_level(family.name, label, template)  # no draw from `rng`: the other columns stay as they were
            out.append(
                {
                    "source": source,
                    "log_message": message,
                    "target_label": label,
                    "family": family.name,
                    "group": family.group,
                    "level": level,
                }
            )
    rng.shuffle(out)
    blank_some(out, seed)
    return out
