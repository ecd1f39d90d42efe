import { GraphQLJSON } from "graphql-scalars";
import { Field, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "Rows of one table removed with a deleted listener." })
export class DeletedRows {
  @Field(() => String) table!: string;
  @Field(() => Int) rows!: number;
}

@ObjectType({ description: "What deleteListener removed (docs/privacy.md)." })
export class DeletedListener {
  @Field(() => Int) userId!: number;
  @Field(() => String) externalKey!: string;
  @Field(() => [DeletedRows], { description: "Every table that held rows of the listener, vectors included, with how many." }) tables!: DeletedRows[];
  @Field(() => [Int], { description: "Model versions the listener's vectors were taken out of." }) modelVersions!: number[];
  @Field(() => Int, { description: "Listener rows taken out of saved collaborative models." }) artifactRows!: number;
}

@ObjectType({ description: "Everything stored about a listener, as a machine-readable archive (docs/privacy.md)." })
export class ListenerExport {
  @Field(() => GraphQLJSON, { description: "The archive: format deepcuts-listener-archive, version 1 (sections in docs/privacy.md)." }) archive!: unknown;
  @Field(() => Int, { description: "Events in the archive." }) events!: number;
}
