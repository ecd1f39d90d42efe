import { ObjectType } from "type-graphql";
import { Artist, Track, User } from "./catalog.type.ts";
import { Connection } from "./connection.ts";
import { WeeklyPlaylist } from "./playlist.type.ts";
import { BlendConfig, Job, ModelVersion, ApiKey } from "./curation.type.ts";
import { ListeningEvent } from "./listener.type.ts";

@ObjectType() export class TrackConnection extends Connection("Track", Track) {}
@ObjectType() export class ArtistConnection extends Connection("Artist", Artist) {}
@ObjectType() export class UserConnection extends Connection("User", User) {}
@ObjectType() export class WeeklyPlaylistConnection extends Connection("WeeklyPlaylist", WeeklyPlaylist) {}
@ObjectType() export class BlendConfigConnection extends Connection("BlendConfig", BlendConfig) {}
@ObjectType() export class ModelVersionConnection extends Connection("ModelVersion", ModelVersion) {}
@ObjectType() export class JobConnection extends Connection("Job", Job) {}
@ObjectType() export class ApiKeyConnection extends Connection("ApiKey", ApiKey) {}
@ObjectType() export class ListeningEventConnection extends Connection("ListeningEvent", ListeningEvent) {}
