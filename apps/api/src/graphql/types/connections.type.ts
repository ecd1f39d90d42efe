import { ObjectType } from "type-graphql";
import { Artist, Track, User } from "./catalogue.type.ts";
import { Connection } from "./connection.ts";
import { WeeklyPlaylist } from "./playlist.type.ts";
import { BlendConfig, Job, ModelVersion, ApiKey } from "./curation.type.ts";
import { ListeningEvent } from "./listener.type.ts";

@ObjectType({ description: "A page of Track items (a Relay cursor connection)." })
export class TrackConnection extends Connection("Track", Track) {}
@ObjectType({ description: "A page of Artist items (a Relay cursor connection)." })
export class ArtistConnection extends Connection("Artist", Artist) {}
@ObjectType({ description: "A page of User items (a Relay cursor connection)." })
export class UserConnection extends Connection("User", User) {}
@ObjectType({ description: "A page of WeeklyPlaylist items (a Relay cursor connection)." })
export class WeeklyPlaylistConnection extends Connection("WeeklyPlaylist", WeeklyPlaylist) {}
@ObjectType({ description: "A page of BlendConfig items (a Relay cursor connection)." })
export class BlendConfigConnection extends Connection("BlendConfig", BlendConfig) {}
@ObjectType({ description: "A page of ModelVersion items (a Relay cursor connection)." })
export class ModelVersionConnection extends Connection("ModelVersion", ModelVersion) {}
@ObjectType({ description: "A page of Job items (a Relay cursor connection)." })
export class JobConnection extends Connection("Job", Job) {}
@ObjectType({ description: "A page of ApiKey items (a Relay cursor connection)." })
export class ApiKeyConnection extends Connection("ApiKey", ApiKey) {}
@ObjectType({ description: "A page of ListeningEvent items (a Relay cursor connection)." })
export class ListeningEventConnection extends Connection("ListeningEvent", ListeningEvent) {}
