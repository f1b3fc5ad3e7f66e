"""Game servers: a Minecraft server (vanilla / Paper), a Source dedicated server (srcds) and Factorio.

Players joining and leaving are sessions (System Notification); worlds saved, maps loaded and plugins
enabled are routine. A player's chat command that changed something (op, ban, gamemode) is User Action.
A plugin that failed to load, a save that failed once, a lagging tick are an Error or Resource Usage. A
corrupted world or region file, a crashed server, or a map that cannot load so nobody can play is a
Critical Error. Failed RCON logins and kicked cheaters are Security Alerts.
"""

from training.corpus.family import Family

PLAYER = ["Steve_91", "xXSniperXx", "alex_builds", "NoobMaster69", "creeper_king", "Notch_fan"]
WORLD = ["world", "world_nether", "world_the_end", "survival"]

GAMES = [
    Family(
        "minecraft",
        "games",
        2.5,
        {
            "N": [
                "[Server thread/INFO]: {player} joined the game",
                "[Server thread/INFO]: {player} left the game",
                "[Server thread/INFO]: {player} lost connection: Disconnected",
                "[Server thread/INFO]: Saving chunks for level 'ServerLevel[{world}]'/minecraft:overworld",
                "[Server thread/INFO]: ThreadedAnvilChunkStorage ({world}): All chunks are saved",
                '[Server thread/INFO]: Done ({float}s)! For help, type "help"',
                "[Server thread/INFO]: Starting minecraft server version 1.20.{n}",
                '[Server thread/INFO]: Preparing level "{world}"',
                "[Server thread/INFO]: [{plugin}] Enabling {plugin} v{ver}",
                "[Server thread/INFO]: Stopping server",
                "[Worker-Main-{n}/INFO]: Preparing spawn area: {lowpct}%",
                "[Server thread/INFO]: <{player}> anyone want to trade diamonds?",
            ],
            "U": [
                "[Server thread/INFO]: {player}[/{ip}:{port}] logged in with entity id {n} at ({float}, {float}, {float})",
                "[Server thread/INFO]: [{player}: Made {player} a server operator]",
                "[Server thread/INFO]: [{player}: Set own game mode to Creative Mode]",
                "[Server thread/INFO]: [{player}: Teleported {player} to {float}, {float}, {float}]",
                "[Server thread/INFO]: [{player}: Banned {player}: Griefing]",
            ],
            "E": [
                "[Server thread/ERROR]: Could not load 'plugins/{plugin}.jar' in folder 'plugins': Unsupported API version 1.21",
                "[Server thread/ERROR]: Error occurred while enabling {plugin} v{ver} (Is it up to date?) java.lang.NoClassDefFoundError",
                "[Server thread/WARN]: Failed to save player data for {player}",
                "[Server thread/ERROR]: Couldn't load chunk [{n}, {n}], regenerating it",
                "[User Authenticator #{n}/ERROR]: Couldn't verify username because servers are unavailable",
                "[Server thread/WARN]: Failed to fetch profile for {player}: connection timed out",
            ],
            "C": [
                "[Server thread/ERROR]: Encountered an unexpected exception net.minecraft.ReportedException: Ticking entity; the server crashed, report saved to crash-reports/crash-{date}-server.txt",
                "[Server Watchdog/FATAL]: A single server tick took 60.00 seconds (should be max 0.05); considering it to be crashed, server will forcibly shutdown",
                "[Server thread/ERROR]: Region file r.{n}.{n}.mca is corrupted; chunk data for {world} lost",
                '[Server thread/ERROR]: Failed to load level "{world}": level.dat is corrupted and level.dat_old is missing; the world cannot start',
            ],
            "S": [
                "[Server thread/INFO]: Disconnecting {player} ({ip}:{port}): You are not white-listed on this server!",
                "[RCON Listener #{n}/WARN]: Rcon connection from /{ip} rejected: wrong password",
                "[Server thread/WARN]: {player} moved too quickly! {float},{float},{float}; kicked for flying",
                "[Server thread/INFO]: Disconnecting {player} ({ip}:{port}): Failed to verify username!",
            ],
            "R": [
                "[Server thread/WARN]: Can't keep up! Is the server overloaded? Running {ms}ms or {n} ticks behind",
                "[Server thread/INFO]: TPS from last 1m, 5m, 15m: {float}, {float}, {float}; memory {n}/{n} MB",
            ],
            "D": [
                "[Server thread/WARN]: Plugin {plugin} v{ver} uses the deprecated legacy Material API; it will stop working in a future version",
            ],
        },
        words={"player": PLAYER, "world": WORLD, "plugin": ["EssentialsX", "WorldEdit", "LuckPerms", "Vault", "Dynmap"]},
    ),
    Family(
        "srcds",
        "games",
        1.5,
        {
            "N": [
                'L {date}: "{player}<{n}><[U:1:{big}]><>" connected, address "{ip}:{port}"',
                'L {date}: "{player}<{n}><[U:1:{big}]><>" entered the game',
                'L {date}: "{player}<{n}><[U:1:{big}]><CT>" disconnected (reason "Disconnect")',
                'L {date}: Loading map "{smap}"',
                'L {date}: Started map "{smap}" (CRC "{big}")',
                'L {date}: World triggered "Round_Start"',
                'L {date}: World triggered "Round_End"',
                'L {date}: "{player}<{n}><[U:1:{big}]><TERRORIST>" killed "{player}<{n}><[U:1:{big}]><CT>" with "ak47"',
                "Connection to Steam servers successful.",
                "VAC secure mode is activated.",
            ],
            "S": [
                'L {date}: Bad Rcon: "rcon {big} \\"{hex8}\\" status" from "{ip}:{port}"',
                'L {date}: "{player}<{n}><[U:1:{big}]><>" kicked by "Console" (reason "VAC banned from secure server")',
                'L {date}: Banid: "{player}<{n}><[U:1:{big}]><>" was banned "permanently" by "Console"',
            ],
            "E": [
                "Connection to Steam servers lost. (Result = 3)",
                'L {date}: Error: Map "{smap}" failed to load a material: models/props/crate.vmt',
                "Failed to load gamedata file sm-cstrike.games.txt; plugin disabled",
            ],
            "C": [
                "Host_Error: Map {smap} is corrupt or missing, server shutting down",
                "Segmentation fault (core dumped); srcds_linux crashed, all players disconnected",
            ],
            "U": [
                'L {date}: rcon from "{ip}:{port}": command "changelevel {smap}"',
            ],
        },
        words={"player": PLAYER, "smap": ["de_dust2", "de_inferno", "cs_office", "de_mirage"]},
    ),
    Family(
        "factorio",
        "games",
        1.0,
        {
            "N": [
                "{float} Info ServerMultiplayerManager.cpp:{n}: Matching server game 0 has been created.",
                "{float} [JOIN] {player} joined the game",
                "{float} [LEAVE] {player} left the game",
                "{float} Info AppManagerStates.cpp:{n}: Saving game as /factorio/saves/_autosave{n}.zip",
                "{float} Info AppManagerStates.cpp:{n}: Saving finished",
                "{float} Info ServerMultiplayerManager.cpp:{n}: updateTick({big}) changing state from(InGame) to(DisconnectScheduled)",
            ],
            "E": [
                "{float} Error ServerMultiplayerManager.cpp:{n}: MultiplayerManager failed: Peer {n} desynchronized; the player was dropped",
                "{float} Error AppManagerStates.cpp:{n}: Saving failed: could not write /factorio/saves/_autosave{n}.zip.tmp",
            ],
            "C": [
                "{float} Error Util.cpp:{n}: Map version mismatch: the save /factorio/saves/world.zip is corrupted and cannot be loaded; server not starting",
            ],
        },
        words={"player": PLAYER},
    ),
]

FAMILIES = GAMES
